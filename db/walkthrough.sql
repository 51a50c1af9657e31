-- The tutorial's SQL script of changes (after the connector is registered), verbatim.
-- Run in database data_engineer, e.g.  psql -v ON_ERROR_STOP=1 -d data_engineer -f db/walkthrough.sql
-- Each statement is its own transaction: 7 change events + 2 tombstones (after the deletes) on the topic.

-- C
insert into bank.holding values (1001, 2, 'SP500', 1, now(), now());
insert into bank.holding values (1002, 3, 'SP500', 1, now(), now());

-- U
update bank.holding set holding_quantity = 100 where holding_id=1000;

-- d
delete from bank.holding where user_id = 3;
delete from bank.holding where user_id = 2;

-- c
insert into bank.holding values (1003, 3, 'VTSAX', 100, now(), now());

-- u
update bank.holding set holding_quantity = 10 where holding_id=1003;
