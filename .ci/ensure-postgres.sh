#!/usr/bin/env bash
# Makes sure a PostgreSQL cluster from Debian's packages runs on 127.0.0.1:5432 and that role
# postgres can log in there without a password, as the integration tests expect.
set -euo pipefail

can_login() { psql -X -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; }

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h | grep -q .; then
    pg_createcluster "$version" main
  fi
  read -r cluster_version cluster_name _ < <(pg_lsclusters -h | head -1)
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" "$cluster_name" start || true
  pg_isready -q -t 30 -h 127.0.0.1 -p 5432
fi

if ! can_login; then
  # Debian's default cluster uses peer auth on the socket and scram on 127.0.0.1: let role postgres
  # in without a password from this machine only, ahead of the other rules.
  hba=$(runuser -u postgres -- psql -X -p 5432 -d postgres -Atc 'show hba_file')
  { printf '%s\n' 'host all postgres 127.0.0.1/32 trust' 'host all postgres ::1/128 trust' 'local all postgres trust'; cat "$hba"; } >"$hba.new"
  chown postgres: "$hba.new"
  chmod 640 "$hba.new"
  mv "$hba.new" "$hba"
  runuser -u postgres -- psql -X -p 5432 -d postgres -Atc 'select pg_reload_conf()' >/dev/null
fi
can_login || { echo "cannot log in to PostgreSQL on 127.0.0.1:5432 as postgres" >&2; exit 1; }
