#!/bin/sh
# Installs the reference Standard Webhooks library (pinned by package-lock.json) into
# node_modules/ next to this file, for WebhookNpmCrossCheckTest. Run by the Maven build in the
# generate-test-resources phase; --prefer-offline lets it work without network once npm's cache
# holds the packages.
cd "$(dirname "$0")" || exit 1
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: node and npm are not on the PATH: install Node.js 18 or newer (client-java tests cross-check webhook signatures with the npm library standardwebhooks)." >&2
  exit 1
fi
exec npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null
