#!/usr/bin/env bash
# npm run test:e2e — the real-n8n end-to-end tests (test/e2e, jest.e2e.config.js):
#   1. Chromium for the editor test: Debian's `chromium` package, installed with apt-get if missing
#      (as root, or through sudo);
#   2. n8n 2.41.1 via scripts/provide-n8n.sh (first run on a machine ~6-7 minutes, then cached in
#      ~/.cache/n8n-nodes-pomelo); its progress is shown;
#   3. jest with jest.e2e.config.js under the project's Node 24: one shared n8n with this package
#      installed as a community package, the emulator, every example workflow, the browser test,
#      the package scan. Extra arguments go to jest (e.g. a test file).
# Environment: CHROMIUM_PATH (default /usr/bin/chromium), POMELO_E2E_SKIP_BUILD=1.
# n8n's logs stay in .tmp/e2e/logs (printed when a test fails).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
node_bin="$root/node_modules/.bin/node"
[ -x "$node_bin" ] || { echo "test:e2e: $node_bin is missing: run npm install (Node 24 comes as a devDependency)" >&2; exit 1; }

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "test:e2e: installing Chromium (Debian package chromium)..." >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi

start=$(date +%s)
bash "$root/scripts/provide-n8n.sh" >/dev/null
echo "test:e2e: n8n ready ($(( $(date +%s) - start ))s)" >&2

exec "$node_bin" "$root/node_modules/jest/bin/jest.js" -c "$root/jest.e2e.config.js" "$@"
