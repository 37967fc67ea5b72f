#!/usr/bin/env bash
# Runs a command with the project's toolchain and dependencies in place:
# Node >= 22.12 first on PATH (see toolchain.sh), then `npm ci` when node_modules is
# missing or was installed from another package-lock.json or Node version. Used by
# `npm start`, `npm test` and .ci/run.
#
# The install is strict: exactly what package-lock.json pins, nothing else. There is no
# fallback to `npm install`, which would resolve anew and could install other versions
# than the lock's. When `npm ci` refuses, this stops and says why.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=toolchain.sh
. "$root/scripts/toolchain.sh"
stamp="node_modules/.lts-install-stamp"
want="$(node -p 'process.versions.node')-$(sha256sum package-lock.json | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing dependencies (npm ci) with Node $(node -v), npm $(npm -v)" >&2
  # --strict-allow-scripts: a dependency with an install script that the root
  # package.json "allowScripts" neither allows nor denies fails the install, so a new
  # script is reviewed instead of run (or skipped) unnoticed.
  if ! npm ci --no-audit --no-fund --strict-allow-scripts >&2; then
    cat >&2 <<'MSG'

setup: FAILED: `npm ci` refused to install from package-lock.json (its error is above).
  - "package.json and package-lock.json ... in sync" / "Missing: X from lock file":
    the lock does not match the package.json files. Update it on purpose and commit it:
      npm install --package-lock-only --no-audit --no-fund
    then check `git diff package-lock.json` adds or changes only what you meant.
  - ESTRICTALLOWSCRIPTS: a dependency has an install script that the root package.json
    "allowScripts" does not cover. Review it, then list it there (true runs the
    script, false skips it), e.g. with `npm install-scripts approve` or `deny`.
  - a network or registry error (E404, ETARGET, ECONNREFUSED): the registry does not
    serve a package version the lock pins; nothing was installed in its place.
MSG
    exit 1
  fi
  echo "$want" > "$stamp"
fi
exec "$@"
