#!/usr/bin/env bash
# npm run docs:screenshots — refreshes the README's pictures in docs/ from the real editor:
# runs the browser test (test/e2e/browser.test.ts, headless Chromium against n8n 2.41.1 with this
# package installed), which saves its screenshots under .tmp/screenshots/, then copies them to docs/.
# Test runs never write docs/ themselves. Extra arguments go to jest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shots="$root/.tmp/screenshots"
rm -rf "$shots"
bash "$root/scripts/ci-e2e.sh" "$root/test/e2e/browser.test.ts" "$@"
mkdir -p "$root/docs"
for file in "$shots"/*.png; do
  cp "$file" "$root/docs/"
  echo "docs/$(basename "$file")"
done
