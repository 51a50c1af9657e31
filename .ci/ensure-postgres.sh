#!/usr/bin/env bash
# Makes sure a PostgreSQL cluster from Debian's packages is running on 127.0.0.1:5432 and that
# role postgres can log in there without a password, as the integration tests expect.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432; then exit 0; fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q .; then
  pg_createcluster "$version" main -- --auth-local=trust --auth-host=trust
fi
cluster=$(pg_lsclusters -h | head -1)
pg_ctlcluster --skip-systemctl-redirect "$(cut -d' ' -f1 <<<"$cluster")" "$(awk '{print $2}' <<<"$cluster")" start || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
  sleep 1
done
echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
exit 1
