#!/usr/bin/env bash
# Record real Debezium output for the tests: runs the local stack (stack/stack.sh), registers the tutorial's
# connector (and a schemas.enable=false twin), performs the walkthrough (the tutorial's first row before
# registration -> snapshot "r"; db/walkthrough.sql; db/stress.sql) and writes what kcat prints into
# fixtures/recorded/ (or the directory given as $1):
#   holding.kcat.txt             kcat -C (tombstones as empty lines)
#   holding.kcat-Z.txt           kcat -C -Z (tombstones as NULL)
#   holding.kcat-J.txt           kcat -C -J (envelope; tombstones have "payload":null)
#   holding-schemaless.kcat.txt  kcat -C, value.converter.schemas.enable=false
#   VERSIONS                     what produced them
# The stack is stopped on exit; its logs stay in ${HP_STACK_DIR:-.stack}/logs.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT=${1:-$HP_REPO/fixtures/recorded}

trap 'stack stop' EXIT
stack deps
stack start
stack register "$HP_CONNECTOR_JSON"
stack register "$HP_CONNECTOR_JSON" "${HP_SCHEMALESS[@]}"
hp_wait_snapshots "$HP_TOPIC" "$HP_TOPIC_SCHEMALESS"
hp_run_dml
hp_wait_all "$HP_TOPIC" "$HP_TOPIC_SCHEMALESS"

mkdir -p "$OUT"
kc() { kcat -b "$HP_BOOTSTRAP" -C -e -q "$@"; }
kc -t "$HP_TOPIC" >"$OUT/holding.kcat.txt"
kc -t "$HP_TOPIC" -Z >"$OUT/holding.kcat-Z.txt"
kc -t "$HP_TOPIC" -J >"$OUT/holding.kcat-J.txt"
kc -t "$HP_TOPIC_SCHEMALESS" >"$OUT/holding-schemaless.kcat.txt"

for f in holding.kcat.txt holding.kcat-Z.txt holding.kcat-J.txt holding-schemaless.kcat.txt; do
  n=$(wc -l <"$OUT/$f")
  [[ $n -eq $HP_MSGS_TOTAL ]] || { echo "record-fixtures: $f has $n lines, expected $HP_MSGS_TOTAL" >&2; exit 1; }
done
[[ $(grep -c '^$' "$OUT/holding.kcat.txt") -eq $HP_TOMBSTONES ]] || { echo "record-fixtures: tombstones?" >&2; exit 1; }

debezium=$(grep -m1 -o '"version":"[^"]*"' "$OUT/holding-schemaless.kcat.txt" | cut -d'"' -f4)
kafka=$(basename "$(ls "${HP_STACK_DIR:-$HP_REPO/.stack}"/libs/broker/kafka_2.13-*.jar)" .jar)
postgres=$(stack psql -Atc 'SHOW server_version')
{
  echo "Recorded by stack/record-fixtures.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "Debezium PostgreSQL connector: $debezium (plugin.name=pgoutput, connector config connect/holding-connector.json)"
  echo "Kafka broker and Connect worker: ${kafka#kafka_2.13-} (KRaft, single node; JsonConverter)"
  echo "PostgreSQL: $postgres (wal_level=logical, bank.holding REPLICA IDENTITY FULL)"
  echo "kcat: $(kcat -V 2>&1 | grep -o 'Version [0-9.]*' | head -1), $(kcat -V 2>&1 | grep -o 'librdkafka [0-9.]*' | head -1) (Debian package $(dpkg-query -W -f='${Version}' kcat 2>/dev/null || echo '?'))"
  echo "Java: $(java -version 2>&1 | head -1)"
  echo
  echo "DML: db/init/02-first-holding.sql before registration (snapshot op r), then db/walkthrough.sql, db/stress.sql."
  echo "Each topic: $HP_MSGS_TOTAL messages, $HP_TOMBSTONES of them tombstones (after each delete; the primary-key"
  echo "change in db/stress.sql gives d + tombstone + c). Timestamps are the recording machine's clock;"
  echo "timestamp columns are MicroTimestamp (µs since the epoch, no time zone)."
  echo
  echo "holding.kcat.txt             kcat -C -e -q -t $HP_TOPIC  (tombstone = empty line)"
  echo "holding.kcat-Z.txt           the same with -Z                (tombstone = NULL)"
  echo "holding.kcat-J.txt           the same with -J                (tombstone = \"payload\":null)"
  echo "holding-schemaless.kcat.txt  kcat -C -e -q -t $HP_TOPIC_SCHEMALESS  (value.converter.schemas.enable=false,"
  echo "                             a second connector: its ts_ms differ from the first one's)"
} >"$OUT/VERSIONS"
echo "record-fixtures: wrote $OUT"
