-- Changes of bank.trade for the e2e of many tables (stack/e2e.sh), after db/walkthrough.sql and
-- db/stress.sql. Each statement is its own transaction: 7 change events, 1 tombstone.

insert into bank.trade values
  (7, 1, '6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11', 12.5, '{"side": "buy"}', '2026-03-01 09:30:00+00', '2026-03-01 09:29:00', 'first');
insert into bank.trade values
  (7, 2, '0b7d4c3e-1f2a-4e5b-8c6d-9e0f1a2b3c4d', 99.125, '{"side": "sell", "lots": [1, 2]}', '2026-03-01 10:00:00+01', '2026-03-01 08:59:00', null);

-- numeric and jsonb change; the note is excluded from the audit
update bank.trade set price = 12.75, meta = meta || '{"tag": "x,y"}', note = 'edited' where account_id = 7 and trade_no = 1;

-- a column added mid-stream: audited from its first change with no edit of the configuration
alter table bank.trade add column venue text;
update bank.trade set venue = 'XNYS' where account_id = 7 and trade_no = 1;

-- only the excluded column changes: nothing to audit under --changed-only
update bank.trade set note = 'again' where account_id = 7 and trade_no = 2;

-- the same value written another way: 99.125 = 99.1250, so no change under --changed-only
update bank.trade set price = 99.1250, traded_at = '2026-03-01 09:00:00+00' where account_id = 7 and trade_no = 2;

delete from bank.trade where account_id = 7 and trade_no = 2;
