-- The tutorial's first row, inserted before the connector is registered, so it reaches Kafka as a
-- snapshot read (op "r").  Runs right after 01-bank-holding.sql (docker-compose and stack.sh alike).
\connect data_engineer
INSERT INTO bank.holding VALUES (1000, 1, 'VFIAX', 10, now(), now())
    ON CONFLICT (holding_id) DO NOTHING;
