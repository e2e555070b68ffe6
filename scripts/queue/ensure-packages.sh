#!/usr/bin/env bash
# Installs what n8n's queue mode needs from Debian's packages, if missing: redis-server and
# postgresql (server, initdb, pg_ctl and psql in /usr/lib/postgresql/<version>/bin).
# Idempotent: a second run with both installed does nothing (no apt-get at all).
# Services are not started by the install: if no /usr/sbin/policy-rc.d exists, one that denies
# starts is put there for the install and removed afterwards, so no Redis on 6379 or cluster
# "main" on 5432 is left running; the test starts its own on other ports (scripts/queue/services.js).
set -euo pipefail

have() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
pg_ok() { compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }

missing=()
have redis-server || missing+=(redis-server)
{ have postgresql && pg_ok; } || missing+=(postgresql)
have postgresql-client-common || missing+=(postgresql-client)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ensure-packages: redis-server and postgresql already installed" >&2
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# added by n8n-nodes-pomelo scripts/queue/ensure-packages.sh during apt-get install\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  added_policy=1
fi
cleanup() { [ "$added_policy" = 1 ] && "${sudo[@]}" rm -f "$policy"; return 0; }
trap cleanup EXIT

start=$(date +%s)
echo "ensure-packages: installing ${missing[*]} from Debian (apt-get)..." >&2
"${sudo[@]}" apt-get update -q >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
echo "ensure-packages: installed in $(( $(date +%s) - start ))s" >&2
