-- The bookkeeping of holding-pivot-sync, next to the audit table it fills (holding_pivot_audit.sql):
--
--   psql -f sql/holding_pivot_audit.sql -f sql/holding_pivot_sync.sql
--
-- Every batch the sync loads is one transaction: the audit rows, the rejected messages and the
-- new positions below. So these tables always say exactly which Kafka messages the audit table
-- holds, and a restarted sync resumes from here, never from a consumer group's offsets.

-- The next Kafka offset to load, per target table and partition: every message before it is in
-- the target table (or in holding_pivot_sync_rejects). A sync updates a row only if it still holds
-- the offset that sync last wrote, so two syncs on one partition stop instead of loading it twice.
CREATE TABLE IF NOT EXISTS holding_pivot_sync_offsets (
    target_table    text      NOT NULL,
    topic           text      NOT NULL,
    kafka_partition integer   NOT NULL,
    next_offset     bigint    NOT NULL,
    updated_at      timestamp NOT NULL,  -- UTC, when the batch that wrote it committed
    PRIMARY KEY (target_table, topic, kafka_partition)
);

-- Messages that gave no rows because they could not be read (not a change event, a table other
-- than the configured one, invalid UTF-8, …): the exact bytes kcat printed, and why.
CREATE TABLE IF NOT EXISTS holding_pivot_sync_rejects (
    target_table    text      NOT NULL,
    topic           text      NOT NULL,
    kafka_partition integer   NOT NULL,
    kafka_offset    bigint    NOT NULL,
    reason          text      NOT NULL,
    message         bytea     NOT NULL,  -- the kcat -J line, byte for byte
    rejected_at     timestamp NOT NULL,  -- UTC
    PRIMARY KEY (target_table, topic, kafka_partition, kafka_offset)
);
