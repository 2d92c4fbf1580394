#!/usr/bin/env bash
# buf lint of the protos (buf.yaml at the repository root), run by the proto module at verify.
# buf comes from npm (@bufbuild/buf, pinned by package-lock.json beside this script), installed
# once into proto/target/buf; the install is redone when the lock file changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest="$root/proto/target/buf"
if ! command -v npm >/dev/null 2>&1; then
  echo "buf lint: npm is not on the PATH; install Node.js 20 (it also runs the console's browser test)" >&2
  exit 1
fi
lock_hash=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ ! -x "$dest/node_modules/.bin/buf" ] || [ "$(cat "$dest/.lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$here/package.json" "$here/package-lock.json" "$dest/"
  (cd "$dest" && timeout 300 npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_hash" > "$dest/.lock-hash"
fi
cd "$root"
"$dest/node_modules/.bin/buf" lint
echo "buf lint: ok"
