-- Loads the CSV of `holding-pivot --config … --with event_id,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset`
-- (no --header) from psql's standard input into audit_trail (audit_trail.sql), leaving out every
-- row whose change and field the table holds already, as holding_pivot_audit_load.sql does:
--
--   holding-pivot --config audit.json --with … events.jsonl | psql -f sql/audit_trail_load.sql
--
-- One transaction: a batch that fails adds nothing, and can be run again. psql prints "INSERT 0 n".

\set ON_ERROR_STOP on
BEGIN;
CREATE TEMPORARY TABLE audit_trail_batch (LIKE audit_trail) ON COMMIT DROP;
\copy audit_trail_batch from pstdin csv
INSERT INTO audit_trail
SELECT * FROM audit_trail_batch
ON CONFLICT (event_id, change_field) DO NOTHING;
COMMIT;
