package io.horae.server.exec;

import io.horae.internal.v1.ShardMap;
import io.horae.statemachine.core.Shards;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The shard owner's decisions (DESIGN §6), as a pure state object: no clock, no thread, no I/O. One
 * thread (the {@link Executor}'s loop) feeds it events with the time and carries out the effects it
 * returns, like etcd raft's {@code RawNode}; unit tests drive it with plain numbers.
 *
 * <p>The window holds the executions this node will fire: taken from its shards' due ranges a
 * little before their time ({@link #scanned}), fired at their due time while the node holds the
 * shard's tenure (owner and shard epoch of the map it applied) and its lease is fresh ({@link
 * #tick}), then kept until their result is committed and applied here, so that a rescan never fires
 * them again. Nothing is replicated before a call: the lease and the epoch are the fence.
 *
 * <p>When a tenure ends in a live hand-off, the entries not started are dropped at once, and a
 * {@link Release} is emitted once no call of that tenure is in flight and every result of its calls
 * is committed: the new owner starts the shard only after applying it (the barrier that keeps an
 * orderly move from sending a request twice).
 */
final class OwnerCore {
  /** Where an execution of the window is. */
  enum Stage {
    /** Waiting for its due time, a dispatch slot, or a permit of its target host. */
    QUEUED,
    /** Its call is in flight (or being prepared by the shell). */
    STARTED,
    /** Its result is queued for a Complete, not yet committed. */
    ANSWERED,
    /** Its result is committed at {@code index}; kept until this replica applied that index. */
    RECORDED
  }

  /** What the shell must do. */
  sealed interface Effect permits Fire, Abort, Release {}

  /** Start the call for this execution now (the shell checks the record, the job and the host). */
  record Fire(String id, long dueMs, int shard, long shardEpoch) implements Effect {}

  /** Abort the call in flight: the execution was cancelled. Its outcome will be ignored. */
  record Abort(String id) implements Effect {}

  /** Propose Released(shard, this node, epoch): this node's tenure {@code epoch} of it is over. */
  record Release(int shard, long epoch) implements Effect {}

  static final class Entry {
    final String id;
    final long dueMs;
    final int priority;
    final int shard;
    final long shardEpoch;
    Stage stage = Stage.QUEUED;

    /**
     * Not fired before this (a host's rate limit or probes, or the lease, ask to come back later).
     */
    long notBeforeMs;

    /** The target host whose permit it waits for (in {@link #hostWaiters}), or null. */
    String host;

    boolean cancelled;
    long recordedIndex;

    /**
     * From when waiting counts as this node's own lateness ({@link #behindMs}): its due time, or
     * later when the node could not have known of it or could not send it before (it arrived
     * overdue, in a new tenure or from a create in the past; it waited for its host or a retry).
     */
    long sinceMs;

    Entry(String id, long dueMs, int priority, int shard, long shardEpoch, long knownMs) {
      this.id = id;
      this.dueMs = dueMs;
      this.notBeforeMs = dueMs;
      this.sinceMs = Math.max(dueMs, knownMs);
      this.priority = priority;
      this.shard = shard;
      this.shardEpoch = shardEpoch;
    }
  }

  /** A tenure of this node that ended in a live hand-off: the new owner waits for its Released. */
  private record Tenure(int shard, long epoch) {}

  private final String nodeId;
  private final int windowMax;
  private final int startedMax;
  private final long releaseRepeatNanos;
  private final Map<String, Entry> window = new HashMap<>();

  /** QUEUED entries not yet due, by the time they may fire. */
  private final PriorityQueue<Entry> waiting =
      new PriorityQueue<>(Comparator.comparingLong((Entry e) -> e.notBeforeMs));

  /**
   * The order in which due entries get a dispatch slot or a host permit: priority, then the most
   * overdue.
   */
  private static final Comparator<Entry> FIRST =
      Comparator.comparingInt((Entry e) -> -e.priority).thenComparingLong(e -> e.dueMs);

  /** QUEUED entries that are due: highest priority first, then the most overdue (across shards). */
  private final PriorityQueue<Entry> ready = new PriorityQueue<>(FIRST);

  /**
   * QUEUED entries that found their target host at its permit limit, by host, each in {@link
   * #FIRST} order: a freed permit goes to the host's first waiter ({@link #hostRoom}), not to
   * whichever entry happens to try next. Bounded by the window; hosts leave when they have none.
   */
  private final Map<String, PriorityQueue<Entry>> hostWaiters = new HashMap<>();

  /** RECORDED entries, by the index whose apply releases them. */
  private final PriorityQueue<Entry> recorded =
      new PriorityQueue<>(Comparator.comparingLong((Entry e) -> e.recordedIndex));

  /** This node's tenures by shard: the shard epoch under which it owns it in the applied map. */
  private final Map<Integer, Long> tenures = new HashMap<>();

  /** Hand-offs from this node the map waits for, with when their Release was last emitted. */
  private final Map<Tenure, Long> releasedAt = new HashMap<>();

  /** STARTED and ANSWERED entries by shard: a tenure is released only when its count is zero. */
  private final Map<Integer, Integer> busy = new HashMap<>();

  private ShardMap map = ShardMap.getDefaultInstance();

  /** The map waits for a Released from this node on some shard. */
  private boolean handoffFromHere;

  private int started;

  /** The time of the latest tick. */
  private long lastTickMs = Long.MIN_VALUE;

  /**
   * The tick at which the fence last opened (the first, or after a lease lapse): waits before it
   * are the fence's, not this node's lateness.
   */
  private long openSinceMs = Long.MIN_VALUE;

  private boolean wasOpen;

  /** The least lateness of the calls started since the last {@link #behindMs}, or MAX_VALUE. */
  private long firedLateMinMs = Long.MAX_VALUE;

  /**
   * @param windowMax most entries held (exec.windowMax)
   * @param startedMax most calls in flight at once (exec.dispatchConcurrency): the rest wait here,
   *     in priority order, not in the HTTP client's first-come queue
   * @param releaseRepeatNanos how long after a Release to emit it again while the map still waits
   */
  OwnerCore(String nodeId, int windowMax, int startedMax, long releaseRepeatNanos) {
    this.nodeId = nodeId;
    this.windowMax = windowMax;
    this.startedMax = startedMax;
    this.releaseRepeatNanos = releaseRepeatNanos;
  }

  /**
   * The applied shard map changed. Tenures this node lost (another owner, or a new epoch) end:
   * their unstarted entries leave the window, and their calls in flight are waited for.
   */
  void mapApplied(ShardMap next) {
    map = next;
    handoffFromHere = false;
    for (int s = 0; s < map.getOwnersCount(); s++) {
      handoffFromHere |= Shards.handoffPending(map, s) && map.getHandoffFrom(s).equals(nodeId);
    }
    for (Iterator<Map.Entry<Integer, Long>> it = tenures.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Long> t = it.next();
      int shard = t.getKey();
      if (!ownsUnder(shard, t.getValue())) {
        it.remove();
        dropQueued(shard);
      }
    }
    for (int s = 0; s < map.getOwnersCount(); s++) {
      if (map.getOwners(s).equals(nodeId)) {
        tenures.putIfAbsent(s, map.getShardEpochs(s));
      }
    }
  }

  /** Shards this node may take due work from now: owned, and not waiting for an old owner. */
  List<Integer> scannable() {
    List<Integer> out = new ArrayList<>();
    for (Map.Entry<Integer, Long> t : tenures.entrySet()) {
      if (!Shards.handoffPending(map, t.getKey())) {
        out.add(t.getKey());
      }
    }
    out.sort(null);
    return out;
  }

  /** Room left in the window. */
  int free() {
    return windowMax - window.size();
  }

  boolean holds(String id) {
    return window.containsKey(id);
  }

  /**
   * A due entry found by a scan of {@code shard}. Taken if the window has room, it is not held
   * already, and the shard is still this node's, started, under {@code shardEpoch}.
   */
  boolean scanned(String id, long dueMs, int priority, int shard, long shardEpoch) {
    Long tenure = tenures.get(shard);
    if (window.size() >= windowMax
        || window.containsKey(id)
        || tenure == null
        || tenure != shardEpoch
        || Shards.handoffPending(map, shard)) {
      return false;
    }
    Entry e = new Entry(id, dueMs, priority, shard, shardEpoch, lastTickMs);
    window.put(id, e);
    waiting.add(e);
    return true;
  }

  /**
   * A due entry written by an apply of this replica (a create, a retry, a deferral, a replay):
   * newer than anything a scan found, so it replaces a held copy waiting for its time or for its
   * result to be applied here. Returns false when it was not taken for want of room (a full scan
   * must then find it later). A copy whose call is in flight is left alone: its own result decides.
   */
  boolean pushed(String id, long dueMs, int priority, int shard, long shardEpoch) {
    Entry held = window.get(id);
    if (held != null) {
      if (held.dueMs == dueMs || held.stage == Stage.STARTED || held.stage == Stage.ANSWERED) {
        return true;
      }
      window.remove(id);
      unqueue(held);
      recorded.remove(held);
    }
    return scanned(id, dueMs, priority, shard, shardEpoch) || window.size() < windowMax;
  }

  /**
   * The time has come to act: emits the due entries to fire (at most the free dispatch slots, and
   * none while {@code fenceOpen} is false: no fresh lease, or draining), the Releases owed, and
   * forgets the results this replica has applied up to {@code appliedIndex}.
   */
  List<Effect> tick(long nowMs, long nowNanos, boolean fenceOpen, long appliedIndex) {
    List<Effect> out = new ArrayList<>();
    lastTickMs = nowMs;
    if (fenceOpen && !wasOpen) {
      openSinceMs = nowMs;
    }
    wasOpen = fenceOpen;
    while (!recorded.isEmpty() && recorded.peek().recordedIndex <= appliedIndex) {
      window.remove(recorded.poll().id);
    }
    while (!waiting.isEmpty() && waiting.peek().notBeforeMs <= nowMs) {
      ready.add(waiting.poll());
    }
    while (fenceOpen && started < startedMax && !ready.isEmpty()) {
      Entry e = ready.poll();
      if (!current(e)) {
        window.remove(e.id); // Its tenure ended: the next owner fires it.
        continue;
      }
      stage(e, Stage.STARTED);
      firedLateMinMs = Math.min(firedLateMinMs, nowMs - Math.max(e.sinceMs, openSinceMs));
      out.add(new Fire(e.id, e.dueMs, e.shard, e.shardEpoch));
    }
    releases(nowNanos, out);
    return out;
  }

  /**
   * How far behind its due work this node is, in ms, since the last call: the least lateness of the
   * calls started meanwhile (none late: 0), or, when the fence is open and due entries still wait
   * for a dispatch slot, how long the first of them has waited, whichever is more. Waits the node
   * could not help are left out: for the fence (no lease, a hand-off), for a host's permits or
   * rate, for a retry, and the time before the node met an entry (a new tenure, a create in the
   * past). The cluster sheds new work while some owner is behind (docs/delivery.md, "Admission").
   */
  long behindMs(long nowMs, boolean fenceOpen) {
    long fired = firedLateMinMs == Long.MAX_VALUE ? 0 : firedLateMinMs;
    firedLateMinMs = Long.MAX_VALUE;
    long waited =
        fenceOpen && !ready.isEmpty() ? nowMs - Math.max(ready.peek().sinceMs, openSinceMs) : 0;
    return Math.max(0, Math.max(fired, waited));
  }

  /**
   * How long the first waiter of each target host at its permit limit has waited, in ms: the
   * longest {@code max} of them, longest first; none while the fence is closed. A host whose calls
   * take longer than its permits allow falls behind here, not in {@link #behindMs}: the cluster
   * sheds only the creates for it (docs/delivery.md, "Admission").
   */
  Map<String, Long> hostsBehind(long nowMs, boolean fenceOpen, int max) {
    if (!fenceOpen || hostWaiters.isEmpty()) {
      return Map.of();
    }
    List<Map.Entry<String, Long>> waits = new ArrayList<>();
    for (Map.Entry<String, PriorityQueue<Entry>> h : hostWaiters.entrySet()) {
      long waited = nowMs - Math.max(h.getValue().peek().sinceMs, openSinceMs);
      if (waited > 0) {
        waits.add(Map.entry(h.getKey(), waited));
      }
    }
    waits.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Long> w : waits.subList(0, Math.min(max, waits.size()))) {
      out.put(w.getKey(), w.getValue());
    }
    return out;
  }

  /** The earliest time a QUEUED entry may fire, or Long.MAX_VALUE. */
  long nextDueMs() {
    if (!ready.isEmpty()) {
      return Long.MIN_VALUE;
    }
    return waiting.isEmpty() ? Long.MAX_VALUE : waiting.peek().notBeforeMs;
  }

  /**
   * A fired entry could not go now (host limit, no dispatch slot, lease lapsed at the last check).
   */
  void requeue(String id, long notBeforeMs) {
    Entry e = backToQueue(id);
    if (e == null) {
      return;
    }
    e.notBeforeMs = notBeforeMs;
    e.sinceMs = notBeforeMs;
    waiting.add(e);
  }

  /**
   * A started entry back to QUEUED; null when it is gone, not started, or no longer current (then
   * dropped).
   */
  private Entry backToQueue(String id) {
    Entry e = window.get(id);
    if (e == null || e.stage != Stage.STARTED) {
      return null;
    }
    stage(e, Stage.QUEUED);
    if (e.cancelled || !current(e)) {
      window.remove(id);
      return null;
    }
    return e;
  }

  /**
   * A fired entry found its target host at its permit limit: it waits for a permit of {@code host},
   * which {@link #hostRoom} hands out in priority order.
   */
  void awaitHost(String id, String host) {
    Entry e = backToQueue(id);
    if (e == null) {
      return;
    }
    e.host = host;
    hostWaiters.computeIfAbsent(host, h -> new PriorityQueue<>(FIRST)).add(e);
  }

  /**
   * Hosts that entries wait for; a copy, so the caller may call {@link #hostRoom} while it walks
   * it.
   */
  List<String> hostsAwaited() {
    return hostWaiters.isEmpty() ? List.of() : List.copyOf(hostWaiters.keySet());
  }

  /** {@code host} has {@code permits} free: that many of its first waiters become ready to fire. */
  void hostRoom(String host, int permits) {
    PriorityQueue<Entry> waiters = hostWaiters.get(host);
    for (int i = 0; waiters != null && i < permits && !waiters.isEmpty(); i++) {
      Entry e = waiters.poll();
      e.host = null;
      e.sinceMs = lastTickMs; // its wait for the host ends now
      ready.add(e);
    }
    if (waiters != null && waiters.isEmpty()) {
      hostWaiters.remove(host);
    }
  }

  /**
   * Whether an entry waits for {@code host} that goes before {@code id}: then {@code id} must not
   * take a permit of that host that is free only because the waiter was not yet woken.
   */
  boolean outranked(String host, String id) {
    PriorityQueue<Entry> waiters = hostWaiters.get(host);
    Entry e = window.get(id);
    return waiters != null
        && e != null
        && !waiters.isEmpty()
        && FIRST.compare(waiters.peek(), e) < 0;
  }

  /**
   * A fired entry must not be sent after all and has no result: its record shows it finished or
   * changed (a stale window entry), its job is gone, or its shard moved before the call went out.
   */
  void drop(String id) {
    Entry e = window.remove(id);
    if (e != null && e.stage == Stage.STARTED) {
      stage(e, Stage.QUEUED);
    }
  }

  /**
   * The call ended with a result (or the host's breaker deferred it). Returns whether the shell
   * should queue the result: not for a cancelled execution, whose cancel is its outcome.
   */
  boolean answered(String id) {
    Entry e = window.get(id);
    if (e == null || e.stage != Stage.STARTED) {
      return false;
    }
    if (e.cancelled) {
      stage(e, Stage.QUEUED);
      window.remove(id);
      return false;
    }
    stage(e, Stage.ANSWERED);
    return true;
  }

  /** The result is committed at log index {@code index} (or was given up: index -1). */
  void recorded(String id, long index) {
    Entry e = window.get(id);
    if (e == null || e.stage != Stage.ANSWERED) {
      return;
    }
    if (index < 0) {
      stage(e, Stage.QUEUED);
      window.remove(id); // Given up: a rescan fires it again, with the same key.
      return;
    }
    stage(e, Stage.RECORDED);
    e.recordedIndex = index;
    recorded.add(e);
  }

  /** The execution was cancelled (applied here): unstarted, it never fires; in flight, abort. */
  List<Effect> cancelled(String id) {
    Entry e = window.get(id);
    if (e == null) {
      return List.of();
    }
    switch (e.stage) {
      case QUEUED -> {
        window.remove(id);
        unqueue(e);
      }
      case STARTED -> {
        if (!e.cancelled) {
          e.cancelled = true;
          return List.of(new Abort(id));
        }
      }
      default -> {} // Its result is on its way; apply ignores it for a cancelled execution.
    }
    return List.of();
  }

  int size() {
    return window.size();
  }

  /** Calls in flight plus results not yet committed: what an orderly stop waits for. */
  int unfinished() {
    int n = 0;
    for (int b : busy.values()) {
      n += b;
    }
    return n;
  }

  int started() {
    return started;
  }

  Stage stageOf(String id) {
    Entry e = window.get(id);
    return e == null ? null : e.stage;
  }

  private boolean current(Entry e) {
    Long tenure = tenures.get(e.shard);
    return tenure != null && tenure == e.shardEpoch && !Shards.handoffPending(map, e.shard);
  }

  private boolean ownsUnder(int shard, long epoch) {
    return shard < map.getOwnersCount()
        && map.getOwners(shard).equals(nodeId)
        && map.getShardEpochs(shard) == epoch;
  }

  private void dropQueued(int shard) {
    window.values().removeIf(e -> e.shard == shard && e.stage == Stage.QUEUED);
    waiting.removeIf(e -> e.shard == shard);
    ready.removeIf(e -> e.shard == shard);
    hostWaiters.values().forEach(q -> q.removeIf(e -> e.shard == shard));
    hostWaiters.values().removeIf(PriorityQueue::isEmpty);
  }

  /** Takes a QUEUED entry out of whichever queue holds it. */
  private void unqueue(Entry e) {
    waiting.remove(e);
    ready.remove(e);
    if (e.host != null) {
      PriorityQueue<Entry> waiters = hostWaiters.get(e.host);
      if (waiters != null && waiters.remove(e) && waiters.isEmpty()) {
        hostWaiters.remove(e.host);
      }
      e.host = null;
    }
  }

  /** Moves e to a stage, keeping the in-flight and busy counts. */
  private void stage(Entry e, Stage next) {
    boolean wasBusy = e.stage == Stage.STARTED || e.stage == Stage.ANSWERED;
    boolean isBusy = next == Stage.STARTED || next == Stage.ANSWERED;
    if (e.stage == Stage.STARTED) {
      started--;
    }
    if (next == Stage.STARTED) {
      started++;
    }
    if (wasBusy != isBusy) {
      busy.merge(e.shard, isBusy ? 1 : -1, Integer::sum);
      busy.remove(e.shard, 0);
    }
    e.stage = next;
  }

  /**
   * Emits Released for each shard whose new owner waits for this node (the map names it as the old
   * owner) and on which it has nothing in flight or unrecorded; again after releaseRepeatNanos
   * while the map still waits (the proposal may have been lost). Read from the map, not from the
   * tenures this node saw end: under load its loop may skip a map, and with it a whole tenure (a
   * shard moved to it and away again between two passes), which it must release all the same. Calls
   * are counted per shard, not per tenure: a later tenure of the same shard starts only after this
   * one was released, so counting them all only ever waits longer.
   */
  private void releases(long nowNanos, List<Effect> out) {
    if (!handoffFromHere && releasedAt.isEmpty()) {
      return; // The common case: nothing waits for this node (checked once per map).
    }
    for (int shard = 0; shard < map.getOwnersCount(); shard++) {
      if (!Shards.handoffPending(map, shard)
          || !map.getHandoffFrom(shard).equals(nodeId)
          || busy.getOrDefault(shard, 0) > 0) {
        continue;
      }
      Tenure t = new Tenure(shard, map.getHandoffFromEpoch(shard));
      Long last = releasedAt.get(t);
      if (last == null || nowNanos - last >= releaseRepeatNanos) {
        releasedAt.put(t, nowNanos);
        out.add(new Release(shard, t.epoch()));
      }
    }
    // Bounded by the shard count: forget the hand-offs the map no longer waits for.
    releasedAt
        .keySet()
        .removeIf(
            t ->
                !Shards.handoffPending(map, t.shard())
                    || map.getHandoffFromEpoch(t.shard()) != t.epoch()
                    || !map.getHandoffFrom(t.shard()).equals(nodeId));
  }
}
