#!/usr/bin/env bash
# Usage: scripts/install-package.sh <n8nUserFolder> [--no-build]
#
# Installs this package into an n8n user folder exactly the way n8n 2.41's Community Nodes screen
# installs a package (CommunityPackagesService.downloadPackage in
# n8n/dist/modules/community-packages/community-packages.service.js), except that the tarball comes
# from `npm pack` of this checkout instead of `npm pack <name>@<version>` from the registry:
#   1. the tarball is extracted into <userFolder>/.n8n/nodes/node_modules/<name> (--strip-components=1)
#   2. devDependencies, peerDependencies and optionalDependencies are deleted from its package.json
#   3. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
#       --ignore-scripts=true --package-lock=false` runs in that folder
#   4. <userFolder>/.n8n/nodes/package.json, n8n's ledger ({"name":"installed-nodes","private":true,
#      "dependencies":{...}}), records <name>: <version>
# n8n loads every package in .n8n/nodes/node_modules at start-up (scanDirectoryForPackages), so the
# node's type is `n8n-nodes-pomelo.pomelo`. (The Settings > Community nodes list reads n8n's
# database, which only n8n's own install endpoint writes; it does not affect loading.)
# Prints the installed package folder on the last line of stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
user_folder="${1:?usage: install-package.sh <n8nUserFolder> [--no-build]}"
build=1
[ "${2:-}" = "--no-build" ] && build=0
node_bin="$root/node_modules/.bin/node"
[ -x "$node_bin" ] || node_bin="node"

if [ "$build" = 1 ]; then
  echo "install-package: npm run build" >&2
  (cd "$root" && npm run build --silent >&2)
fi
[ -f "$root/dist/nodes/Pomelo/Pomelo.node.js" ] || { echo "install-package: dist/ is missing; run npm run build" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tarball="$(cd "$root" && npm pack --pack-destination "$tmp" --quiet --ignore-scripts | tail -n 1)"
[ -f "$tmp/$tarball" ] || { echo "install-package: npm pack produced no tarball" >&2; exit 1; }

name="$("$node_bin" -p 'require(process.argv[1]).name' "$root/package.json")"
nodes_dir="$user_folder/.n8n/nodes"
pkg_dir="$nodes_dir/node_modules/$name"
rm -rf "$pkg_dir"
mkdir -p "$pkg_dir"
tar -xzf "$tmp/$tarball" -C "$pkg_dir" --strip-components=1

version="$("$node_bin" - "$pkg_dir/package.json" <<'NODE'
const fs = require('node:fs');
const file = process.argv[2];
const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(fs.readFileSync(file, 'utf8'));
fs.writeFileSync(file, JSON.stringify(packageJson, null, 2), 'utf-8');
console.log(packageJson.version);
NODE
)"

(cd "$pkg_dir" && npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow \
  --ignore-scripts=true --package-lock=false --loglevel=error >&2)

"$node_bin" - "$nodes_dir/package.json" "$name" "$version" <<'NODE'
const fs = require('node:fs');
const [file, name, version] = process.argv.slice(2);
let ledger;
try { ledger = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { ledger = null; }
if (!ledger || typeof ledger !== 'object') ledger = { name: 'installed-nodes', private: true, dependencies: {} };
ledger.dependencies = { ...(ledger.dependencies || {}), [name]: version };
fs.writeFileSync(file, JSON.stringify(ledger, null, 2), 'utf-8');
NODE

echo "install-package: $name@$version installed into $pkg_dir" >&2
echo "$pkg_dir"
