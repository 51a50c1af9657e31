-- Stress changes, run after db/walkthrough.sql (state then: 1000 user 1 VFIAX 100, 1003 user 3 VTSAX 10).
-- Each statement is its own transaction: 7 change events + 1 tombstone on the topic.

-- a stock name with a comma and a double quote (CSV quoting); holding_stock is varchar(8)
insert into bank.holding values (1004, 4, 'A,"B', 5, now(), now());

-- an empty-string stock (in CSV an empty string must differ from NULL)
insert into bank.holding values (1005, 5, '', 0, now(), now());

-- a change of stock type (both old and new value present)
update bank.holding set holding_stock = 'VTI' where holding_id = 1003;

-- a stock set to NULL
update bank.holding set holding_stock = NULL where holding_id = 1004;

-- an update that changes nothing: Debezium still sends "u", with before = after
update bank.holding set holding_quantity = holding_quantity where holding_id = 1005;

-- a primary-key change: Debezium sends "d" (old key) + tombstone + "c" (new key)
update bank.holding set holding_id = 1006 where holding_id = 1005;
