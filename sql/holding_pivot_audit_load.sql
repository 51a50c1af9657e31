-- Loads the CSV of `holding-pivot --with event_id,source_table,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset`
-- (no --header) from psql's standard input into holding_pivot_audit (holding_pivot_audit.sql),
-- leaving out every row whose change and field the table holds already:
--
--   holding-pivot --with … events.jsonl | psql -f sql/holding_pivot_audit_load.sql
--
-- Repeating a load, overlapping batches and Debezium's redelivered copies of a change (same
-- event_id, another Kafka offset and ts_ms) therefore leave the table as one load of each change,
-- with the first load's datetime_inserted and Kafka position. psql prints "INSERT 0 n": n rows were new.
-- One transaction: a batch that fails (a bad row, a lost connection) adds nothing, and can be run again.

\set ON_ERROR_STOP on
BEGIN;
-- A staging table, not COPY into the table: COPY has no ON CONFLICT.
CREATE TEMPORARY TABLE holding_pivot_audit_batch (LIKE holding_pivot_audit) ON COMMIT DROP;
\copy holding_pivot_audit_batch from pstdin csv
INSERT INTO holding_pivot_audit
SELECT * FROM holding_pivot_audit_batch
ON CONFLICT (event_id, change_field) DO NOTHING;
COMMIT;
