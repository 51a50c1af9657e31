-- audit_trail: the field-level audit trail of many tables, one row per tracked field per change,
-- as `holding-pivot --config audit.json` (or --table) writes it with the identity columns:
--
--   psql -f sql/audit_trail.sql
--   kcat -b kafka:9092 -C -e -J -t bankserver1.bank.holding -t bankserver1.bank.trade |
--     holding-pivot --config audit.json --with event_id,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset |
--     psql -v table=audit_trail -f sql/audit_load.sql
--
-- Keys and users of any type are text: a one-column key is its value ('42', a uuid), a composite
-- key the JSON array of its values as text ('["7","2"]'; row_key::jsonb ->> 1 reads the second).
-- Values are text as in holding_pivot; times are UTC `timestamp`s, as holding_pivot.sql explains
-- (load `--timestamps iso` output). event_id makes a load repeatable: audit_load.sql skips
-- every (event_id, change_field) the table holds already.

CREATE TABLE IF NOT EXISTS audit_trail (
    source_table      text      NOT NULL,  -- schema.table the change is of
    row_key           text      NOT NULL,  -- the row's key: its value, or a JSON array of values
    user_key          text,                -- the table's user column, as text; NULL when it has none
    change_field      text      NOT NULL,  -- the tracked column
    old_value         text,                -- the value before the change, as text; NULL for c, r
    new_value         text,                -- the value after the change, as text; NULL for d
    datetime_created  timestamp,           -- the table's created column, for c and r
    datetime_updated  timestamp,           -- when the update was committed, for u
    datetime_deleted  timestamp,           -- when the delete was committed, for d
    datetime_inserted timestamp NOT NULL,  -- when holding-pivot wrote the row
    op                text      NOT NULL   -- c create, r snapshot read, u update, d delete
        CONSTRAINT audit_trail_op_check CHECK (op IN ('c', 'r', 'u', 'd')),
    event_id          text      NOT NULL,  -- the change's identity (README: "Identity columns")
    lsn               bigint,              -- its WAL position (source.lsn)
    tx_id             bigint,              -- its PostgreSQL transaction (source.txId)
    committed_at      timestamp,           -- its commit time, UTC; NULL for r
    kafka_topic       text,                -- the Kafka message it first arrived in (kcat -J),
    kafka_partition   integer,             --   NULL when the input had no Kafka coordinates
    kafka_offset      bigint,
    CONSTRAINT audit_trail_change_key UNIQUE (event_id, change_field)
);

-- "What happened to this row?": one table's entity, in order.
CREATE INDEX IF NOT EXISTS audit_trail_entity_idx
    ON audit_trail (source_table, row_key, lsn);
-- "What did this user change?" across tables, or in one.
CREATE INDEX IF NOT EXISTS audit_trail_user_idx
    ON audit_trail (user_key, source_table, change_field);
-- "How often did this column change in a period?" per table: updates and deletes by their time.
CREATE INDEX IF NOT EXISTS audit_trail_field_updated_idx
    ON audit_trail (source_table, change_field, datetime_updated);
CREATE INDEX IF NOT EXISTS audit_trail_field_deleted_idx
    ON audit_trail (source_table, change_field, datetime_deleted);
