#!/usr/bin/env bash
# Runs a command with the project's toolchain and dependencies in place:
# Node >= 22.12 first on PATH (see toolchain.sh), then `npm ci` when node_modules is
# missing or older than package-lock.json. Used by `npm start`, `npm test` and .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=toolchain.sh
. "$root/scripts/toolchain.sh"
stamp="node_modules/.lts-install-stamp"
want="$(node -p 'process.versions.node')-$(sha256sum package-lock.json | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing dependencies (npm ci) with Node $(node -v)" >&2
  # npm ci is strict; it refuses a lock that lacks optional platform packages the registry
  # does not serve (e.g. non-Linux @unrs/resolver-binding-*). Then install from the same
  # lock without rewriting it.
  if ! npm ci --no-audit --no-fund >&2; then
    echo "setup: npm ci refused the lock file; installing from it with npm install --no-save" >&2
    npm install --no-audit --no-fund --no-save >&2
  fi
  echo "$want" > "$stamp"
fi
exec "$@"
