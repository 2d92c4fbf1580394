#!/bin/sh
# Installs the reference Standard Webhooks library (pinned by package-lock.json) into
# node_modules/ next to this file, for WebhookNpmCrossCheckTest. Run by the Maven build in the
# generate-test-resources phase; --prefer-offline lets it work without network once npm's cache
# holds the packages (the lock file names each tarball and its integrity hash).
cd "$(dirname "$0")" || exit 1
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: node and npm are not on the PATH: install Node.js 18 or newer (client-java tests cross-check webhook signatures with the npm library standardwebhooks)." >&2
  exit 1
fi
# Bounded: without network and without the packages in npm's cache this fails within about a
# minute (two tries of at most 20 s each) instead of npm's default of several minutes.
exec npm ci --no-audit --no-fund --prefer-offline --loglevel=error \
  --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000 \
  --fetch-timeout=20000 >/dev/null
