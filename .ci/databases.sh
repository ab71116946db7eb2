#!/usr/bin/env bash
# Installs the database servers that the importer/source/sqlsrc tests start
# for themselves (PostgreSQL and MariaDB, from Debian's packages), when they
# are missing. Idempotent and quiet: it prints nothing when all is there.
# The distribution's own services are neither started by the install nor
# left running: the tests run their own throw-away servers in temp dirs.
set -euo pipefail

need=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
{ command -v mariadb-install-db && { command -v mariadbd || test -x /usr/sbin/mariadbd; }; } >/dev/null 2>&1 \
  || need+=(mariadb-server)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "databases.sh: need root to install ${need[*]}" >&2
  exit 1
fi

# policy-rc.d exit 101 tells invoke-rc.d not to start the services the
# packages' scripts would start; put back whatever was there before.
policy=/usr/sbin/policy-rc.d
saved=""
if [ -e "$policy" ]; then saved=$(mktemp); cp -p "$policy" "$saved"; fi
restore() {
  if [ -n "$saved" ]; then mv -f "$saved" "$policy"; else rm -f "$policy"; fi
}
trap restore EXIT
printf '#!/bin/sh\nexit 101\n' >"$policy"
chmod 755 "$policy"

export DEBIAN_FRONTEND=noninteractive
apt=(apt-get -qq -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
log=$(mktemp)
if ! { "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends "${need[@]}"; } >"$log" 2>&1; then
  echo "databases.sh: installing ${need[*]} failed:" >&2
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"

# Belt and braces: stop any distribution service that started anyway.
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters -h 2>/dev/null | while read -r ver name _ status _; do
    [ "$status" = online ] && pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
  done
fi
if [ -S /run/mysqld/mysqld.sock ] && command -v mariadb-admin >/dev/null 2>&1; then
  mariadb-admin --socket=/run/mysqld/mysqld.sock shutdown >/dev/null 2>&1 || true
fi
exit 0
