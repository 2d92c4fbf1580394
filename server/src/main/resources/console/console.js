// Horae console: read-only pages over /console/api/*, which calls the node's public API with the
// token the user pasted. All data is put into the page as text (textContent / append of strings),
// never as HTML.
'use strict';

const TOKEN_KEY = 'horae.token';
const NS_KEY = 'horae.namespace';
const LIVE_ROWS_MAX = 200;
const REFRESH_MS = 3000;

const $ = (id) => document.getElementById(id);

/** A new element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v != null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c != null) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function table(headers, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))), el('tbody', {}, rows));
}

/** "EXECUTION_STATUS_SUCCEEDED" -> "SUCCEEDED" as a coloured badge. */
function badge(value, prefix) {
  const text = String(value || 'UNSPECIFIED').replace(prefix, '');
  return el('span', { class: 'badge s-' + text.toLowerCase() }, text);
}

function time(ms) {
  const n = Number(ms || 0);
  return n > 0 ? new Date(n).toISOString().replace('T', ' ').replace('Z', ' UTC') : '';
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function namespace() {
  return sessionStorage.getItem(NS_KEY) || 'default';
}

function headers() {
  const t = token();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

function showError(message) {
  const box = $('error');
  box.textContent = message || '';
  box.hidden = !message;
}

/** The current page's generation: async work of an older page stops when it changes. */
let generation = 0;
let liveAbort = null;

/** GET /console/api/<name>; a 401 signs out, other errors throw with the API's message. */
async function api(name, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v != null && v !== '') qs.set(k, v);
  }
  const r = await fetch('api/' + name + '?' + qs, { headers: headers(), cache: 'no-store' });
  const body = await r.json().catch(() => ({}));
  if (r.status === 401) {
    signOut(body.message || 'Sign in again');
    throw new Error('unauthenticated');
  }
  if (!r.ok) throw new Error(r.status + ' ' + (body.code || '') + ': ' + (body.message || r.statusText));
  return body;
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  route();
  showError(message);
}

// ---- pages ----

async function clusterPage(page, my) {
  const s = await api('cluster');
  if (my !== generation) return;
  page.replaceChildren(
    el('h1', {}, 'Cluster'),
    el('p', { class: 'muted' }, `group ${s.groupId || ''} · leader ${s.leaderId || '(none)'} · term ${s.term || 0} · shard map epoch ${s.shardEpoch || 0} · ${s.shardCount || 0} shards · answered by ${s.answeredBy || ''}`),
    el('h2', {}, 'Members'),
    table(
      ['node', 'role', 'reachable', 'lease age', 'lease', 'shards', 'term', 'commit', 'applied', 'API', 'error'],
      (s.nodes || []).map((n) =>
        el('tr', { 'data-node': n.id },
          el('td', {}, n.id), el('td', {}, badge(n.role, '')), el('td', {}, n.reachable ? 'yes' : 'no'),
          el('td', { class: 'num' }, (n.leaseAgeMs || 0) + ' ms'), el('td', {}, n.leaseFresh ? 'fresh' : 'stale'),
          el('td', { class: 'num' }, n.shardsOwned || 0), el('td', { class: 'num' }, n.term || 0),
          el('td', { class: 'num' }, n.commitIndex || 0), el('td', { class: 'num' }, n.appliedIndex || 0),
          el('td', {}, n.apiAddress || ''), el('td', {}, n.error || '')))),
    el('h2', {}, 'Shard map'),
    shardTable(s.shardOwners || []),
    el('h2', {}, 'Host breakers'),
    breakerTable(s.nodes || []));
  setTimeout(() => my === generation && clusterPage(page, my).catch(fail(my)), REFRESH_MS);
}

function shardTable(owners) {
  const byNode = new Map();
  for (const o of owners) {
    const key = o.nodeId || '(none)';
    if (!byNode.has(key)) byNode.set(key, []);
    byNode.get(key).push(o);
  }
  return table(['node', 'shards', 'count', 'hand-offs'],
    [...byNode.entries()].sort().map(([node, list]) =>
      el('tr', {}, el('td', {}, node), el('td', {}, ranges(list.map((o) => o.shard || 0))),
        el('td', { class: 'num' }, list.length), el('td', {}, list.filter((o) => o.handoff).map((o) => o.shard || 0).join(', ')))));
}

/** [0,1,2,5] -> "0-2, 5". */
function ranges(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? String(sorted[i]) : sorted[i] + '-' + sorted[j]);
    i = j;
  }
  return out.join(', ');
}

function breakerTable(nodes) {
  const rows = [];
  for (const n of nodes) {
    for (const b of n.hostBreakers || []) {
      rows.push(el('tr', {}, el('td', {}, n.id), el('td', {}, b.host), el('td', {}, badge(b.state, '')),
        el('td', { class: 'num' }, b.consecutiveFailures || 0), el('td', {}, time(b.openUntilMs))));
    }
  }
  return rows.length ? table(['node', 'host', 'state', 'failures', 'open until'], rows) : el('p', { class: 'muted' }, 'No host has a breaker.');
}

function schedule(s) {
  if (!s) return '';
  if (s.cron) return `cron ${s.cron.expression} ${s.cron.timeZone || 'UTC'}`;
  if (s.every) return `every ${Number(s.every.intervalMs) / 1000} s`;
  if (s.atMs) return 'at ' + time(s.atMs);
  return '';
}

function labels(map) {
  return Object.entries(map || {}).map(([k, v]) => k + '=' + v).join(', ');
}

function jobLink(name) {
  return el('a', { href: '#/job?name=' + encodeURIComponent(name) }, name);
}

function executionLink(id) {
  return el('a', { href: '#/execution?id=' + encodeURIComponent(id) }, id);
}

function pager(params, token, base) {
  if (!token) return '';
  const next = new URLSearchParams({ ...params, pageToken: token });
  return el('p', {}, el('a', { href: base + '?' + next }, 'Next page'));
}

async function jobsPage(page, my, params) {
  const form = el('form', { class: 'filters', id: 'job-filters' },
    el('label', {}, 'Label selector', el('input', { name: 'selector', size: 30, placeholder: 'team=pay,env!=dev' })),
    el('label', {}, 'State', el('select', { name: 'state' },
      ['', 'ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELLED'].map((s) => el('option', { value: s }, s || 'any')))),
    el('button', { type: 'submit' }, 'Filter'));
  form.elements.selector.value = params.selector || '';
  form.elements.state.value = params.state || '';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (form.elements.selector.value) q.set('selector', form.elements.selector.value);
    if (form.elements.state.value) q.set('state', form.elements.state.value);
    location.hash = '#/jobs?' + q;
  });
  page.replaceChildren(el('h1', {}, 'Jobs in ' + namespace()), form);
  const r = await api('jobs', { namespace: namespace(), selector: params.selector, state: params.state, pageToken: params.pageToken });
  if (my !== generation) return;
  const jobs = r.jobs || [];
  page.append(
    jobs.length === 0 ? el('p', { class: 'muted' }, 'No job matches.') :
      table(['name', 'state', 'schedule', 'next fire', 'fires', 'labels', 'target'],
        jobs.map((j) => el('tr', { 'data-job': j.name },
          el('td', {}, jobLink(j.name)), el('td', {}, badge(j.state, 'JOB_STATE_')), el('td', {}, schedule(j.schedule)),
          el('td', {}, time(j.nextFireMs)), el('td', { class: 'num' }, j.fireCount || 0), el('td', {}, labels(j.labels)),
          el('td', {}, (j.target && j.target.url) || '')))),
    pager({ selector: params.selector || '', state: params.state || '' }, r.nextPageToken, '#/jobs'));
}

function attemptList(e) {
  const attempts = e.attempts || [];
  if (!attempts.length) return '';
  return el('ol', { class: 'attempts' }, attempts.map((a) =>
    el('li', { value: a.number || 0 },
      `${time(a.startedMs)} on ${a.node || '?'}: ${a.httpStatus ? 'HTTP ' + a.httpStatus : (a.errorClass || 'no response')} in ${a.latencyMs || 0} ms`,
      a.error ? ' (' + a.error + ')' : '')));
}

/** A job and its executions; the filter is built once, the job and the table are refreshed. */
async function jobPage(page, my, params) {
  const statuses = el('select', { id: 'status-filter' },
    ['', 'PENDING', 'RETRY_WAIT', 'SUCCEEDED', 'DEAD', 'CANCELLED', 'SKIPPED'].map((s) => el('option', { value: s }, s || 'any status')));
  statuses.value = params.status || '';
  statuses.addEventListener('change', () => {
    location.hash = '#/job?' + new URLSearchParams({ name: params.name, ...(statuses.value ? { status: statuses.value } : {}) });
  });
  const summary = el('div', {});
  const executions = el('div', {});
  page.replaceChildren(
    summary,
    el('h2', {}, 'Executions'),
    el('p', { class: 'filters' }, statuses, el('a', { href: '#/live?job=' + encodeURIComponent(params.name || '') }, 'Watch live')),
    executions);
  const refresh = async () => {
    const [job, list] = await Promise.all([
      api('job', { namespace: namespace(), name: params.name }),
      api('executions', { namespace: namespace(), job: params.name, status: params.status, pageToken: params.pageToken }),
    ]);
    if (my !== generation) return;
    summary.replaceChildren(
      el('h1', {}, 'Job ' + job.namespace + '/' + job.name),
      el('p', {}, badge(job.state, 'JOB_STATE_'), ` ${schedule(job.schedule)} · next ${time(job.nextFireMs) || '-'} · ${job.fireCount || 0} fires · version ${job.version || 0}`),
      el('p', { class: 'muted' }, `target ${(job.target && job.target.url) || ''} · labels ${labels(job.labels) || '-'}`));
    const rows = list.executions || [];
    executions.replaceChildren(
      rows.length === 0 ? el('p', { class: 'muted' }, 'No execution matches.') :
        table(['scheduled', 'status', 'attempts', 'last', 'finished', 'attempt history'],
          rows.map((e) => el('tr', { 'data-execution': e.id },
            el('td', {}, el('a', { href: '#/execution?id=' + encodeURIComponent(e.id) }, time(e.scheduledMs))),
            el('td', {}, badge(e.status, 'EXECUTION_STATUS_')), el('td', { class: 'num' }, e.attempt || 0),
            el('td', {}, e.lastHttpStatus ? 'HTTP ' + e.lastHttpStatus : (e.lastError || '')),
            el('td', {}, time(e.finishedMs)), el('td', {}, attemptList(e))))),
      pager({ name: params.name, status: params.status || '' }, list.nextPageToken, '#/job'));
    setTimeout(() => my === generation && refresh().catch(fail(my)), REFRESH_MS);
  };
  await refresh();
}

/** The first bytes of a response body (base64 in JSON) as text, for reading, not for rendering. */
function excerpt(base64) {
  if (!base64) return '';
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  } catch (e) {
    return '(not decodable)';
  }
}

async function executionPage(page, my, params) {
  const e = await api('execution', { id: params.id });
  if (my !== generation) return;
  page.replaceChildren(
    el('h1', {}, 'Execution ' + e.id),
    el('p', {}, badge(e.status, 'EXECUTION_STATUS_'), ' job ', jobLink(e.jobName),
      ` · scheduled ${time(e.scheduledMs)} · due ${time(e.dueMs) || '-'} · ${e.attempt || 0} attempt(s)` + (e.finishedMs ? ` · finished ${time(e.finishedMs)}` : '')),
    el('p', { class: 'muted' }, `shard ${e.shard || 0} (owner ${e.shardOwner || '-'}) · trace ${e.traceId || '-'}` + (e.reason ? ' · ' + e.reason : '') + (e.lastError ? ' · last error: ' + e.lastError : '')),
    el('h2', {}, 'Attempts'),
    (e.attempts || []).length === 0 ? el('p', { class: 'muted' }, 'No attempt yet.') :
      table(['#', 'node', 'started', 'latency', 'HTTP status', 'error', 'response (first bytes)'],
        e.attempts.map((a) => el('tr', { 'data-attempt': a.number || 0 },
          el('td', { class: 'num' }, a.number || 0), el('td', {}, a.node || ''), el('td', {}, time(a.startedMs)),
          el('td', { class: 'num' }, (a.latencyMs || 0) + ' ms'), el('td', { class: 'num' }, a.httpStatus || ''),
          el('td', {}, [a.errorClass, a.error].filter(Boolean).join(': ')), el('td', {}, el('code', {}, excerpt(a.responseExcerpt)))))));
  if (!['EXECUTION_STATUS_SUCCEEDED', 'EXECUTION_STATUS_DEAD', 'EXECUTION_STATUS_CANCELLED', 'EXECUTION_STATUS_SKIPPED'].includes(e.status)) {
    setTimeout(() => my === generation && executionPage(page, my, params).catch(fail(my)), REFRESH_MS);
  }
}

async function dlqPage(page, my, params) {
  const r = await api('dlq', { namespace: namespace(), job: params.job, pageToken: params.pageToken });
  if (my !== generation) return;
  const dead = r.deadLetters || [];
  page.replaceChildren(
    el('h1', {}, 'Dead letters in ' + namespace()),
    dead.length === 0 ? el('p', { class: 'muted' }, 'The dead-letter queue is empty.') :
      table(['execution', 'job', 'died', 'attempts', 'last HTTP status', 'last error'],
        dead.map((e) => el('tr', { 'data-execution': e.id },
          el('td', {}, executionLink(e.id)), el('td', {}, jobLink(e.jobName)), el('td', {}, time(e.finishedMs)),
          el('td', { class: 'num' }, e.attempt || 0), el('td', { class: 'num' }, e.lastHttpStatus || ''),
          el('td', {}, e.lastError || '')))),
    pager({ job: params.job || '' }, r.nextPageToken, '#/dlq'));
  setTimeout(() => my === generation && dlqPage(page, my, params).catch(fail(my)), REFRESH_MS);
}

/** Live: the watch stream of the namespace, newest change first, reopened whenever it ends. */
async function livePage(page, my, params) {
  const state = el('p', { class: 'muted', id: 'live-state' }, 'connecting…');
  const body = el('tbody', {});
  page.replaceChildren(
    el('h1', {}, 'Live: executions changing in ' + namespace() + (params.job ? ' (job ' + params.job + ')' : '')),
    state,
    el('table', {}, el('thead', {}, el('tr', {}, ['seen', 'change', 'job', 'scheduled', 'status', 'attempt', 'last', 'node'].map((h) => el('th', {}, h)))), body));
  while (my === generation) {
    liveAbort = new AbortController();
    try {
      const qs = new URLSearchParams({ namespace: namespace(), job: params.job || '' });
      const r = await fetch('api/watch?' + qs, { headers: headers(), cache: 'no-store', signal: liveAbort.signal });
      if (r.status === 401) return signOut('Sign in again');
      if (!r.ok) {
        const b = await r.json().catch(() => ({}));
        state.textContent = 'refused: ' + (b.message || r.status) + '; retrying';
      } else {
        state.textContent = 'watching';
        await readEvents(r.body, (event) => addLiveRow(body, event));
      }
    } catch (e) {
      if (my !== generation) return;
      state.textContent = 'disconnected; reconnecting';
    }
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** Calls onEvent with each "data: {...}" event of a server-sent-events body until it ends. */
async function readEvents(stream, onEvent) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of block.split('\n')) {
        if (line.startsWith('data: ')) onEvent(JSON.parse(line.slice(6)));
      }
    }
  }
}

function addLiveRow(body, event) {
  const e = event.execution;
  if (!e) return; // WATCHING: the stream is open.
  const last = (e.attempts || [])[e.attempts ? e.attempts.length - 1 : 0] || {};
  body.prepend(el('tr', { 'data-execution': e.id, 'data-status': String(e.status || '').replace('EXECUTION_STATUS_', '') },
    el('td', {}, time(Date.now())), el('td', {}, String(event.kind || '').replace('EXECUTION_EVENT_KIND_', '').toLowerCase()),
    el('td', {}, jobLink(e.jobName)), el('td', {}, time(e.scheduledMs)), el('td', {}, badge(e.status, 'EXECUTION_STATUS_')),
    el('td', { class: 'num' }, e.attempt || 0), el('td', {}, e.lastHttpStatus ? 'HTTP ' + e.lastHttpStatus : (e.lastError || '')),
    el('td', {}, last.node || '')));
  while (body.rows.length > LIVE_ROWS_MAX) body.lastChild.remove();
}

// ---- routing ----

const PAGES = { cluster: clusterPage, jobs: jobsPage, job: jobPage, execution: executionPage, dlq: dlqPage, live: livePage };

function fail(my) {
  return (e) => {
    if (my === generation && e.message !== 'unauthenticated') showError(e.message);
  };
}

function route() {
  generation++;
  if (liveAbort) liveAbort.abort();
  const my = generation;
  showError('');
  const signedIn = token() !== null;
  $('login').hidden = signedIn;
  $('nav').hidden = $('ns-form').hidden = $('logout').hidden = !signedIn;
  const page = $('page');
  page.replaceChildren();
  if (!signedIn) return;
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const name = PAGES[path] ? path : 'cluster';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('current', a.dataset.page === name);
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  PAGES[name](page, my, params).catch(fail(my));
}

document.addEventListener('DOMContentLoaded', () => {
  $('ns').value = namespace();
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    route();
  });
  $('ns-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(NS_KEY, $('ns').value.trim() || 'default');
    route();
  });
  $('logout').addEventListener('click', () => signOut(''));
  window.addEventListener('hashchange', route);
  route();
});
