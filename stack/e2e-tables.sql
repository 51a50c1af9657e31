-- Questions stack/e2e.sh asks of audit_trail (sql/audit_trail.sql) after loading bank.holding and
-- bank.trade into it: per table, per entity, per user. Each answer is headed by "[name] question",
-- as sql/questions.sql's are. Run with psql -At.

\set ON_ERROR_STOP on

\echo '[rows_per_table] How many rows of each op does each table have?'
SELECT source_table, op, count(*) FROM audit_trail GROUP BY 1, 2 ORDER BY 1, 2;

\echo '[holding_stock_changes] How many times did bank.holding user 3 change stock type (deletes included)?'
SELECT count(*) FROM audit_trail
WHERE source_table = 'bank.holding' AND user_key = '3' AND change_field = 'holding_stock'
  AND op IN ('u', 'd') AND old_value IS DISTINCT FROM new_value;

\echo '[trade_price_history] What prices did trade (7, 1) have, in order?'
SELECT string_agg(coalesce(new_value, 'deleted'), ' -> ' ORDER BY lsn) FROM audit_trail
WHERE source_table = 'bank.trade' AND row_key::jsonb ->> 0 = '7' AND row_key::jsonb ->> 1 = '1' AND change_field = 'price';

\echo '[trade_changes_by_user] How many changes did each trader make to trades that existed already?'
SELECT user_key, count(DISTINCT event_id) FROM audit_trail
WHERE source_table = 'bank.trade' AND op IN ('u', 'd') GROUP BY 1 ORDER BY 1;

\echo '[trade_lots] Which lots did the deleted trade hold (jsonb read back from old_value)?'
SELECT old_value::jsonb -> 'lots' FROM audit_trail WHERE source_table = 'bank.trade' AND change_field = 'meta' AND op = 'd';
