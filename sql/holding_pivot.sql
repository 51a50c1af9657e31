-- holding_pivot: the audit trail holding-pivot writes, one row per tracked field per change of
-- bank.holding. The columns are exactly the tool's CSV columns, in the same order, so its output
-- loads as it is:
--
--   psql -f sql/holding_pivot.sql
--   psql -c "\copy holding_pivot from 'holding_pivot.txt' csv"
--   kcat -b kafka:9092 -C -e -t bankserver1.bank.holding | holding-pivot |
--     psql -c "\copy holding_pivot from stdin csv"
--   holding-pivot --header … | psql -c "\copy holding_pivot from stdin csv header"
--
-- In the CSV an unquoted empty field is NULL and "" is the empty string, which is what COPY … CSV
-- reads by default, so keep its NULL '' default (do not add NULL or FORCE_NULL options).
-- Load the default `--timestamps iso` output: `--timestamps epoch` writes numbers, which a
-- timestamp column rejects.
--
-- Time zones: the tool writes every datetime as ISO 8601 UTC ending in Z. The columns are
-- `timestamp` (without time zone) holding that UTC wall-clock time. PostgreSQL silently ignores
-- a zone written in a value read as `timestamp` (see "Time Stamps" in
-- https://www.postgresql.org/docs/current/datatype-datetime.html), so '2021-06-26T21:50:00.000001Z'
-- is stored as 2021-06-26 21:50:00.000001 whatever the session's TimeZone is: loading is correct
-- in any session, and nothing is shifted on the way in or out.
-- Compare these columns with UTC values ('2021-06-26 21:53', not now()): comparing them with a
-- timestamptz converts them using the session's TimeZone. (If you would rather have PostgreSQL
-- know they are UTC, `timestamptz` columns load the same CSV unchanged; the questions in
-- questions.sql then need the session TimeZone, or their bounds, to say UTC.)
--
-- COPY … CSV (measured on PostgreSQL 15) ends the data at a line that is exactly \. even inside
-- a quoted field (after a line feed, before a line feed or CR LF), and refuses the whole file.
-- holding-pivot rejects an event with such a value (and one with U+0000, which text cannot
-- store) rather than write it: what it writes with exit status 0 loads as it is.
--
-- There is no primary key: nothing in a row is unique (a replayed topic writes its events again),
-- and COPY without a column list needs the table to have exactly the CSV's columns.

CREATE TABLE IF NOT EXISTS holding_pivot (
    holding_id        integer   NOT NULL,  -- bank.holding.holding_id (int, its primary key)
    user_id           integer,             -- bank.holding.user_id (int, nullable)
    change_field      text      NOT NULL,  -- the tracked column: holding_stock, holding_quantity
    old_value         text,                -- the value before the change, as text; NULL for c, r
    new_value         text,                -- the value after the change, as text; NULL for d
    datetime_created  timestamp,           -- bank.holding.datetime_created (µs), for c and r
    datetime_updated  timestamp,           -- when the update was committed (source.ts_us), for u
    datetime_deleted  timestamp,           -- when the delete was committed (source.ts_us), for d
    datetime_inserted timestamp NOT NULL,  -- when holding-pivot wrote the row
    op                text      NOT NULL   -- Debezium's op: c create, r snapshot read, u update, d delete
        CONSTRAINT holding_pivot_op_check CHECK (op IN ('c', 'r', 'u', 'd'))
);

-- "How many times did user N change …?" (questions.sql: stock_type_changes, quantity_changes).
CREATE INDEX IF NOT EXISTS holding_pivot_user_field_idx
    ON holding_pivot (user_id, change_field);

-- "What was sold most between date 1 and date 2?" (questions.sql: most_sold_stock) looks for
-- updates by datetime_updated and deletes by datetime_deleted: one index each, combined by a
-- BitmapOr.
CREATE INDEX IF NOT EXISTS holding_pivot_field_updated_idx
    ON holding_pivot (change_field, datetime_updated);
CREATE INDEX IF NOT EXISTS holding_pivot_field_deleted_idx
    ON holding_pivot (change_field, datetime_deleted);
