// The benchmark's DuckDB reference: holding-pivot's default conversion as one SQL statement over
// read_ndjson, CSV to stdout, with DuckDB's default threads (one per core).
//   node bench/duckdb-pivot.mjs events.jsonl [--envelope]
// It reads the file by its path, as a DuckDB user would, so its reader can split the file between
// threads. Each line is read as a JSON object and the payload's fields the pivot needs are cast
// into a declared struct: DuckDB's fastest form here, about five times faster than read_ndjson (with
// its columns declared or sampled), which bench/README.md records. Same rows as holding-pivot: c/u/d only (an "r" is skipped as
// without --snapshot; an empty line, a tombstone, yields no row), one per tracked field in input
// order, the commit time from source.ts_us else source.ts_ms, ISO 8601 UTC, NULL as an empty field.
import { DuckDBInstance } from '@duckdb/node-api';

const [path, form] = process.argv.slice(2);
const image = { holding_id: 'INTEGER', user_id: 'INTEGER', holding_stock: 'VARCHAR', holding_quantity: 'INTEGER', datetime_created: 'BIGINT' };
const payload = JSON.stringify({ before: image, after: image, op: 'VARCHAR', source: { ts_us: 'BIGINT', ts_ms: 'BIGINT' } });
const lines = `read_json_objects('${path.replaceAll("'", "''")}', format = 'newline_delimited')`;
const events = `SELECT json_transform(${form === '--envelope' ? "json_extract(json, '$.payload')" : 'json'}, '${payload}') AS p FROM ${lines}`;
const iso = (micros) => `strftime(make_timestamp(${micros}), '%Y-%m-%dT%H:%M:%S.%fZ')`;
const committed = iso('coalesce(p.source.ts_us, p.source.ts_ms * 1000)');
const row = (field) => `{
  holding_id: k.holding_id, user_id: k.user_id, field: '${field}',
  old: CAST(p.before.${field} AS VARCHAR), new: CAST(p.after.${field} AS VARCHAR),
  created: CASE p.op WHEN 'c' THEN ${iso('p.after.datetime_created')} END,
  updated: CASE p.op WHEN 'u' THEN ${committed} END,
  deleted: CASE p.op WHEN 'd' THEN ${committed} END,
  inserted: strftime(now()::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%gZ'), op: p.op}`;
const sql = `COPY (
  SELECT unnest([${row('holding_stock')}, ${row('holding_quantity')}], recursive := true)
  FROM (SELECT p, CASE p.op WHEN 'd' THEN p.before ELSE p.after END AS k FROM (${events}) WHERE p.op IN ('c', 'u', 'd'))
) TO '/dev/stdout' (FORMAT csv, HEADER false)`;

const connection = await (await DuckDBInstance.create(':memory:')).connect();
await connection.run(sql);
