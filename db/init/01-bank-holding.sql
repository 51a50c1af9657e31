-- The tutorial's database: role data_engineer (login + replication), database data_engineer,
-- schema bank, table bank.holding (the tutorial's DDL) with REPLICA IDENTITY FULL.
--
-- Run by a superuser with psql, in any database; idempotent:
--   * docker-compose: mounted into /docker-entrypoint-initdb.d of the official postgres image;
--   * local stack:   stack/stack.sh start runs  psql -v ON_ERROR_STOP=1 -f <this file>.
-- data_engineer is not a superuser, so the connector uses publication.autocreate.mode=filtered
-- (CREATE PUBLICATION … FOR TABLE bank.holding, allowed because data_engineer owns the table).

SELECT 'CREATE ROLE data_engineer'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'data_engineer') \gexec
ALTER ROLE data_engineer WITH LOGIN REPLICATION PASSWORD 'data_engineer';

SELECT 'CREATE DATABASE data_engineer OWNER data_engineer'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'data_engineer') \gexec

\connect data_engineer

CREATE SCHEMA IF NOT EXISTS bank AUTHORIZATION data_engineer;

-- create as data_engineer, so it owns the table (needed for CREATE PUBLICATION … FOR TABLE)
SET ROLE data_engineer;
CREATE TABLE IF NOT EXISTS bank.holding (
    holding_id int,
    user_id int,
    holding_stock varchar(8),
    holding_quantity int,
    datetime_created timestamp,
    datetime_updated timestamp,
    primary key(holding_id)
);
ALTER TABLE bank.holding REPLICA IDENTITY FULL;
RESET ROLE;
