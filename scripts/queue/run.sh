#!/usr/bin/env bash
# npm run test:queue — the node in n8n 2.41.1's queue mode (test/queue/queue-mode.test.js).
#   1. installs redis-server and postgresql from Debian's packages if missing (ensure-packages.sh)
#   2. runs the test (node's test runner, spec reporter) under the project's Node 24; it starts
#      Redis, PostgreSQL, n8n main + 2 workers and the Pomelo emulator on loopback, in a temporary
#      work folder, and stops them all at the end
#   3. whatever happened, kills any process still using that work folder (by pid) and removes it
# Environment: QUEUE_TEST_CALLS (100), QUEUE_TEST_SIGTERM_CALLS (40), QUEUE_TEST_WORKER_CONCURRENCY
# (10), QUEUE_TEST_BUILD=0 (skip `npm run build`), QUEUE_TEST_KEEP=1 (keep the work folder and logs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
node_bin="$root/node_modules/.bin/node"
[ -x "$node_bin" ] || { echo "test:queue: $node_bin is missing: run npm install (Node 24 comes as a devDependency)" >&2; exit 1; }

bash "$root/scripts/queue/ensure-packages.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/pomelo-queue-XXXXXX")"
chmod 755 "$work"

test_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # The test runs in its own process group (set -m below): signal the whole group, so that
  # n8n, its task runners, redis-server and postgres get a graceful stop even if the test
  # process itself died; then kill what is left of the group.
  if [ -n "$test_pid" ] && kill -0 -- "-$test_pid" 2>/dev/null; then
    echo "test:queue: stopping process group $test_pid" >&2
    kill -TERM -- "-$test_pid" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 -- "-$test_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$test_pid" 2>/dev/null || true
  fi
  # Anything else whose command line or environment names the work folder (started by this run).
  local pids=()
  for p in /proc/[0-9]*; do
    local pid="${p#/proc/}"
    [ "$pid" = "$$" ] && continue
    if grep -qsF "$work" "$p/cmdline" 2>/dev/null || grep -qsaF "N8N_USER_FOLDER=$work" "$p/environ" 2>/dev/null; then
      pids+=("$pid")
    fi
  done
  if [ "${#pids[@]}" -gt 0 ]; then
    echo "test:queue: stopping leftover processes ${pids[*]}" >&2
    kill -TERM "${pids[@]}" 2>/dev/null || true
    sleep 3
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  if [ -n "${QUEUE_TEST_KEEP:-}" ]; then
    echo "test:queue: work folder kept: $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$root"
# Job control: the test (and every process it starts) gets its own process group, id = $test_pid.
set -m
# With POMELO_TEST_RESULTS_DIR set (.ci/run), a TAP copy of the results goes there for its summary.
reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "${POMELO_TEST_RESULTS_DIR:-}" ]; then
  reporters+=(--test-reporter=tap "--test-reporter-destination=$POMELO_TEST_RESULTS_DIR/queue-$$.tap")
fi
QUEUE_TEST_WORKDIR="$work" "$node_bin" "${reporters[@]}" "$root/test/queue/queue-mode.test.js" &
test_pid=$!
set +e
wait "$test_pid"
status=$?
set -e
exit "$status"
