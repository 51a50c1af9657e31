-- holding_pivot_audit: holding_pivot with the identity of every change, so that loading a change
-- twice (the same file again, overlapping batches, Debezium's redelivered copies after a crash)
-- leaves one row per tracked field per change. The columns are exactly the CSV of
--
--   holding-pivot --with event_id,source_table,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset
--
-- and sql/audit_load.sql loads it, any number of times:
--
--   psql -f sql/holding_pivot_audit.sql
--   kcat -b kafka:9092 -C -e -J -t bankserver1.bank.holding |
--     holding-pivot --with event_id,source_table,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset |
--     psql -f sql/audit_load.sql
--
-- The first ten columns, their checks and indexes are holding_pivot's (holding_pivot.sql, read
-- here, which also creates that table), so the two cannot drift apart and questions.sql asks the
-- same questions of either. What holding_pivot.sql says of CSV, NULL and time zones holds here.

\ir holding_pivot.sql

CREATE TABLE IF NOT EXISTS holding_pivot_audit (
    LIKE holding_pivot INCLUDING ALL,
    event_id        text      NOT NULL,  -- the change's identity (README: "Identity columns")
    source_table    text,                -- schema.table the change is of
    lsn             bigint,              -- its WAL position (source.lsn); a snapshot read's is the snapshot's
    tx_id           bigint,              -- its PostgreSQL transaction (source.txId)
    committed_at    timestamp,           -- its commit time, UTC (source.ts_us or ts_ms); NULL for r
    kafka_topic     text,                -- the Kafka message it first arrived in, from kcat -J;
    kafka_partition integer,             --   NULL when the input had no Kafka coordinates
    kafka_offset    bigint,
    -- One row per tracked field of a change: a change loaded again is this key again.
    CONSTRAINT holding_pivot_audit_change_key UNIQUE (event_id, change_field)
);
