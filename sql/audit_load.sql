-- Loads a batch of holding-pivot's CSV (no --header) from psql's standard input into an audit table
-- with a unique (event_id, change_field), leaving out every row whose change and field the table
-- holds already:
--
--   holding-pivot --with event_id,source_table,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset … |
--     psql -f sql/audit_load.sql                                  # into holding_pivot_audit
--   holding-pivot --config audit.json --with event_id,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset … |
--     psql -v table=audit_trail -f sql/audit_load.sql             # into audit_trail
--
-- Repeating a load, overlapping batches and Debezium's redelivered copies of a change (same
-- event_id, another Kafka offset and ts_ms) therefore leave the table as one load of each change,
-- with the first load's datetime_inserted and Kafka position. psql prints "INSERT 0 n": n rows were new.
-- One transaction: a batch that fails (a bad row, a lost connection) adds nothing, and can be run again.

\set ON_ERROR_STOP on
\if :{?table}
\else
\set table holding_pivot_audit
\endif
BEGIN;
-- A staging table, not COPY into the table: COPY has no ON CONFLICT.
CREATE TEMPORARY TABLE audit_load_batch (LIKE :"table") ON COMMIT DROP;
\copy audit_load_batch from pstdin csv
INSERT INTO :"table"
SELECT * FROM audit_load_batch
ON CONFLICT (event_id, change_field) DO NOTHING;
COMMIT;
