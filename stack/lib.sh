# Shared by stack/record-fixtures.sh and stack/e2e.sh (sourced, not run): the connectors, topics and
# DML of the recorded walkthrough.
HP_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HP_BOOTSTRAP=127.0.0.1:${HP_KAFKA_PORT:-19092}
HP_CONNECTOR_JSON=$HP_REPO/connect/holding-connector.json

# the tutorial's connector, unchanged: JSON with schemas
HP_TOPIC=bankserver1.bank.holding
# the same with value.converter.schemas.enable=false
HP_TOPIC_SCHEMALESS=bankserver1_schemaless.bank.holding
HP_SCHEMALESS=(name=holding-connector-schemaless topic.prefix=bankserver1_schemaless
  slot.name=holding_pivot_schemaless publication.name=holding_pivot_schemaless value.converter.schemas.enable=false)
# the same on a topic the worker creates with 3 partitions (records are keyed by holding_id)
HP_TOPIC_3P=bankserver3p.bank.holding
HP_3P=(name=holding-connector-3p topic.prefix=bankserver3p slot.name=holding_pivot_3p publication.name=holding_pivot_3p
  topic.creation.default.partitions=3 topic.creation.default.replication.factor=1)

# messages per topic: the snapshot row (db/init/02-first-holding.sql), then db/walkthrough.sql
# (7 events + 2 tombstones), then db/stress.sql (7 events + 1 tombstone)
HP_MSGS_SNAPSHOT=1
HP_MSGS_TOTAL=18
HP_TOMBSTONES=3

stack() { bash "$HP_REPO/stack/stack.sh" "$@"; }

# wait until every topic holds the snapshot row
hp_wait_snapshots() { local t; for t; do stack wait-topic "$t" "$HP_MSGS_SNAPSHOT"; done; }

# the tutorial's change script, then the stress changes
hp_run_dml() {
  stack psql -q -f "$HP_REPO/db/walkthrough.sql"
  stack psql -q -f "$HP_REPO/db/stress.sql"
}

# wait until every topic holds all messages
hp_wait_all() { local t; for t; do stack wait-topic "$t" "$HP_MSGS_TOTAL"; done; }

# many tables (stack/e2e.sh): bank.holding and bank.trade (db/init/03-bank-trade.sql) on one connector,
# and on a twin whose events ExtractNewRecordState flattens with the metadata a full trail needs
HP_TABLES=(name=holding-connector-tables topic.prefix=bankserver_tables slot.name=holding_pivot_tables
  publication.name=holding_pivot_tables table.include.list=bank.holding,bank.trade)
HP_TABLES_TOPICS='^bankserver_tables\.bank\..*'
HP_FLAT=(name=holding-connector-flat topic.prefix=bankserver_flat slot.name=holding_pivot_flat
  publication.name=holding_pivot_flat table.include.list=bank.holding,bank.trade
  transforms=unwrap transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState
  transforms.unwrap.add.fields=op,db,schema,table,lsn,txId,source.ts_ms,source.ts_us
  transforms.unwrap.delete.tombstone.handling.mode=rewrite)
HP_FLAT_TOPICS='^bankserver_flat\.bank\..*'
# db/trade.sql: 7 events + 1 tombstone; rewrite drops tombstones from the flattened topics
HP_MSGS_TRADE=8
