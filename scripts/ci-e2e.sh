#!/usr/bin/env bash
# npm run test:e2e — the real-n8n end-to-end tests (test/e2e, jest.e2e.config.js), once per n8n
# version of the compatibility matrix (README, Compatibility):
#   n8n 2.41.1    every e2e file: example workflows, credential test, binary output, package scan,
#                 editor in headless Chromium (and what else test/e2e holds);
#   n8n 1.123.81  the cases that depend on the n8n version (workflows, binary-modes, formats), except
#                 the known gap on 1.x (the credential test), which jest reports as skipped (jest.e2e.config.js).
# For each version:
#   1. n8n via scripts/provide-n8n.sh, each with its own Node 24 (first run on a machine ~6-10 minutes
#      per version, then cached in ~/.cache/n8n-nodes-pomelo/n8n-<version>); its progress is shown;
#   2. jest with jest.e2e.config.js under the project's Node 24 and N8N_VERSION=<version>: one shared
#      n8n of that version with this package installed as a community package, the emulator.
# Chromium (Debian's `chromium`, installed with apt-get if missing, as root or through sudo) is
# needed by the editor test on 2.41.1.
# Environment: N8N_VERSION=<version> runs one version only; CHROMIUM_PATH (default /usr/bin/chromium);
# POMELO_E2E_SKIP_BUILD=1. Extra arguments go to jest (e.g. a test file).
# n8n's logs stay in .tmp/e2e-n8n-<version>/logs (printed when a test fails). Both versions run even
# if the first fails; the exit status is non-zero if either did.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
node_bin="$root/node_modules/.bin/node"
[ -x "$node_bin" ] || { echo "test:e2e: $node_bin is missing: run npm install (Node 24 comes as a devDependency)" >&2; exit 1; }

versions="${N8N_VERSION:-2.41.1 1.123.81}"

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ " $versions " == *" 2."* ]] && [ ! -x "$chromium" ]; then
  echo "test:e2e: installing Chromium (Debian package chromium)..." >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi

status=0
built=0
for version in $versions; do
  echo "test:e2e: ===== n8n $version =====" >&2
  start=$(date +%s)
  N8N_VERSION="$version" bash "$root/scripts/provide-n8n.sh" >/dev/null
  echo "test:e2e: n8n $version ready ($(( $(date +%s) - start ))s)" >&2
  skip_build="${POMELO_E2E_SKIP_BUILD:-}"
  # The first run's global set-up built dist/; the next versions test that same build.
  [ "$built" = 1 ] && skip_build=1
  start=$(date +%s)
  N8N_VERSION="$version" POMELO_E2E_SKIP_BUILD="$skip_build" \
    "$node_bin" "$root/node_modules/jest/bin/jest.js" -c "$root/jest.e2e.config.js" "$@" || status=1
  echo "test:e2e: n8n $version: jest finished in $(( $(date +%s) - start ))s" >&2
  built=1
done
exit "$status"
