-- A second table for the e2e of many tables (stack/e2e.sh, db/trade.sql): a composite key, a uuid
-- user, numeric, jsonb and timestamptz columns; db/trade.sql adds a column mid-test. REPLICA
-- IDENTITY FULL, like bank.holding, so updates carry the old row. Idempotent, run as bank.holding's file.

\connect data_engineer
SET ROLE data_engineer;
CREATE TABLE IF NOT EXISTS bank.trade (
    account_id bigint,
    trade_no   int,
    trader_id  uuid,
    price      numeric(12, 3),
    meta       jsonb,
    traded_at  timestamptz,
    created_at timestamp,
    note       text,
    primary key (account_id, trade_no)
);
ALTER TABLE bank.trade REPLICA IDENTITY FULL;
RESET ROLE;
