import { describe, expect, it } from 'vitest';
import { holding, holdingEventLine, HOLDING_SCHEMA, messageJson, type HoldingChange } from '../support/debezium-events.js';
import { decoder, INSERTED as I, rowsOf } from '../support/pivot-helpers.js';

const T = 1624744200000001; // 2021-06-26T21:50:00.000001Z in µs
const CREATE: HoldingChange = { op: 'c', before: null, after: holding(7, 3, 'VTSAX', 100, T), tsMs: 1624744320500, txId: 1, lsn: 100 };
const decode = (line: string, options = {}) => rowsOf(decoder(options).decode(line, I));
const warningsOf = (line: string, options = {}) => {
  const outcome = decoder(options).decode(line, I);
  return outcome.kind === 'rows' ? outcome.warnings.map((w) => w.message) : outcome;
};

describe('an event without its id', () => {
  it('is rejected when the id column is missing, naming it and the columns the row has', () => {
    expect(decode(holdingEventLine(CREATE, false), { idField: 'holding_idd' })).toBe(
      'rejected: the id column "holding_idd" is not in "after" (its columns: "holding_id", "user_id", "holding_stock", "holding_quantity", "datetime_created", "datetime_updated"); check --id-field',
    );
  });

  it('is rejected when the id is NULL, in before for a delete', () => {
    expect(decode('{"op":"d","before":{"holding_id":null,"user_id":1},"ts_ms":1}')).toBe(
      'rejected: the id column "holding_id" is NULL in "before" (its columns: "holding_id", "user_id"); check --id-field',
    );
  });

  it('writes an id and a user of any type as their values: other tables have text, uuid or bigint keys', () => {
    const line = (id: string, user: string) => `{"op":"c","after":{"holding_id":${id},"user_id":${user},"v":1}}`;
    expect(decode(line('2147483648', '"Small scooter"'), { fields: ['v'] })).toEqual([['2147483648', 'Small scooter', 'v', null, '1', null, null, null, I, 'c']]);
    expect(decode(line('"6f1c0b1e-2f4a-4a8e-9b1a-0c2d3e4f5a6b"', '1.5'), { fields: ['v'] })).toEqual([
      ['6f1c0b1e-2f4a-4a8e-9b1a-0c2d3e4f5a6b', '1.5', 'v', null, '1', null, null, null, I, 'c'],
    ]);
    expect(decode(line('0', 'null'), { fields: [] })).toEqual([]);
  });

  it('is rejected when datetime_created is not a timestamp PostgreSQL reads', () => {
    const line = (created: string) => `{"op":"c","after":{"holding_id":1,"user_id":2,"datetime_created":${created}}}`;
    expect(decode(line('"yesterday-ish"'), { fields: [] })).toBe('rejected: datetime_created is a PostgreSQL timestamp, but "datetime_created" holds "yesterday-ish"; check --created-field');
    for (const ok of ['"2021-06-26T21:50:00Z"', '"2021-06-26 21:50:00.5+02:00"', '"2021-06-26"', '"0044-03-15T12:00:00Z BC"', '"infinity"', '1624744200000001', 'null']) {
      expect(decode(line(ok), { fields: [] }), ok).toEqual([]);
    }
    expect(decode(line('"soon"'), { fields: [], timestamps: 'epoch' })).toEqual([]);
  });

  it('lists at most 20 columns', () => {
    const after = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`c${i}`, i]));
    expect(decode(JSON.stringify({ op: 'c', after }))).toMatch(/"c18", "c19" and 5 more\); check --id-field$/);
    expect(decode('{"op":"u","after":{}}')).toBe('rejected: the id column "holding_id" is not in "after" (it has no columns); check --id-field');
  });
});

describe('deletes and updates that lack what they need', () => {
  const keyOnly = messageJson({
    schema: HOLDING_SCHEMA,
    payload: { before: { holding_id: 7, user_id: null, holding_stock: null, holding_quantity: null, datetime_created: null, datetime_updated: null }, after: null, source: { schema: 'bank', table: 'holding', ts_ms: 1 }, op: 'd', ts_ms: 1 },
  });

  it('warns when a delete carries only the key (REPLICA IDENTITY DEFAULT)', () => {
    expect(warningsOf(keyOnly)).toEqual([
      'deletes of bank.holding carry only the key in "before" ("user_id", "holding_stock", "holding_quantity" all NULL or missing), so old_value and user_id are NULL; run ALTER TABLE bank.holding REPLICA IDENTITY FULL',
    ]);
    expect(warningsOf(holdingEventLine({ ...CREATE, op: 'd', before: CREATE.after, after: null }, true))).toEqual([]);
  });

  it('warns when an update’s before carries only the key (REPLICA IDENTITY USING INDEX)', () => {
    const before = { holding_id: 7, user_id: null, holding_stock: null, holding_quantity: null, datetime_created: null, datetime_updated: null };
    const line = messageJson({ schema: HOLDING_SCHEMA, payload: { before, after: CREATE.after, source: { schema: 'bank', table: 'holding', ts_ms: 1 }, op: 'u', ts_ms: 1 } });
    expect(warningsOf(line)).toEqual([
      'updates of bank.holding carry only the key in "before" ("user_id", "holding_stock", "holding_quantity" all NULL or missing), so old_value is NULL; run ALTER TABLE bank.holding REPLICA IDENTITY FULL',
    ]);
  });

  it('quotes identifiers in the advice as PostgreSQL needs them', () => {
    const line = (schema: string, table: string) => `{"op":"u","after":{"holding_id":1,"user_id":2},"source":${JSON.stringify({ schema, table, ts_ms: 1 })}}`;
    expect(warningsOf(line('Bank', 'user'), { fields: [] })).toEqual([
      'updates of "Bank"."user" carry no "before" image, so old_value is NULL; run ALTER TABLE "Bank"."user" REPLICA IDENTITY FULL',
    ]);
    expect(warningsOf(line('bank', 'my "t" 2'), { fields: [] })).toEqual([
      'updates of bank."my ""t"" 2" carry no "before" image, so old_value is NULL; run ALTER TABLE bank."my ""t"" 2" REPLICA IDENTITY FULL',
    ]);
    expect(decode('{"op":"d","before":null,"source":{"schema":"public","table":"order"}}')).toBe(
      'rejected: op "d" without "before": nothing to pivot (run ALTER TABLE public."order" REPLICA IDENTITY FULL)',
    );
  });
});

describe('the TOAST placeholder means "unchanged"', () => {
  const opts = { fields: ['v', 'w'], idField: 'id', userField: 'id', createdField: '' };
  const P = '"__debezium_unavailable_value"';

  it('takes the new value from before when before has it', () => {
    const line = `{"op":"u","before":{"id":1,"v":"long text","w":1},"after":{"id":1,"v":${P},"w":2},"ts_ms":0}`;
    expect(decode(line, opts)).toEqual([
      ['1', '1', 'v', 'long text', 'long text', null, '1970-01-01T00:00:00.000Z', null, I, 'u'],
      ['1', '1', 'w', '1', '2', null, '1970-01-01T00:00:00.000Z', null, I, 'u'],
    ]);
    expect(decode(line, { ...opts, changedOnly: true })).toEqual([['1', '1', 'w', '1', '2', null, '1970-01-01T00:00:00.000Z', null, I, 'u']]);
  });

  it('writes NULL to NULL, not a change, when nothing has the value, and says so', () => {
    const line = `{"op":"u","before":null,"after":{"id":1,"v":${P},"w":2},"ts_ms":0}`;
    expect(decode(line, opts)).toEqual([
      ['1', '1', 'v', null, null, null, '1970-01-01T00:00:00.000Z', null, I, 'u'],
      ['1', '1', 'w', null, '2', null, '1970-01-01T00:00:00.000Z', null, I, 'u'],
    ]);
    expect(warningsOf(line, opts)).toContain(
      `"v" holds Debezium's placeholder for an unchanged TOASTed value and no "before" image has the value; old_value and new_value are both written as NULL (REPLICA IDENTITY FULL sends the real value)`,
    );
    expect(decode(line, { ...opts, changedOnly: true })).toEqual([['1', '1', 'w', null, '2', null, '1970-01-01T00:00:00.000Z', null, I, 'u']]);
  });

  it('recognises the placeholder of a bytea and of arrays', () => {
    const schema = (type: object) => ({ type: 'struct', fields: ['before', 'after'].map((image) => ({ type: 'struct', field: image, fields: [{ type: 'int32', field: 'id' }, { ...type, field: 'v' }] })) });
    const line = (type: object, before: string, after: string) => `{"schema":${JSON.stringify(schema(type))},"payload":{"op":"u","before":{"id":1,"v":${before}},"after":{"id":1,"v":${after}}}}`;
    const o = { ...opts, fields: ['v'] };
    const placeholderBytes = JSON.stringify(Buffer.from('__debezium_unavailable_value').toString('base64'));
    expect((decode(line({ type: 'bytes' }, '"AQI="', placeholderBytes), o) as string[][])[0]?.slice(3, 5)).toEqual(['\\x0102', '\\x0102']);
    expect((decode(line({ type: 'array', items: { type: 'string' } }, '["a"]', `[${P}]`), o) as string[][])[0]?.slice(3, 5)).toEqual(['{"a"}', '{"a"}']);
    const codes = JSON.stringify([...'__debezium_unavailable_value'].map((c) => c.charCodeAt(0)));
    expect((decode(line({ type: 'array', items: { type: 'int32' } }, '[1]', codes), o) as string[][])[0]?.slice(3, 5)).toEqual(['{"1"}', '{"1"}']);
  });
});

describe('events that are valid whatever their untracked columns hold', () => {
  it('an untracked array column whose schema nests without end', () => {
    const depth = 50_000;
    const deep = `${'{"type":"array","items":'.repeat(depth)}{"type":"int32"}${'}'.repeat(depth)}`;
    const deepField = `${deep.slice(0, -1)},"field":"deep"}`;
    const schema = `{"type":"struct","fields":[{"type":"struct","field":"after","fields":[{"type":"int32","field":"holding_id"},${deepField}]}]}`;
    const line = `{"schema":${schema},"payload":{"op":"c","after":{"holding_id":1,"deep":null}}}`;
    expect(decode(line, { fields: ['holding_id'], userField: 'holding_id', createdField: '' })).toEqual([['1', '1', 'holding_id', null, '1', null, null, null, I, 'c']]);
  });

  it('a deeply nested untracked column beside a tracked value that needs its exact digits', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const line = `{"op":"c","after":{"holding_id":1,"user_id":2,"holding_stock":"X","holding_quantity":1.5,"deep":${deep}}}`;
    expect(decode(line)).toEqual([
      ['1', '2', 'holding_stock', null, 'X', null, null, null, I, 'c'],
      ['1', '2', 'holding_quantity', null, '1.5', null, null, null, I, 'c'],
    ]);
  });
});

describe('column names are data', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('a column named %s that the row lacks is missing, with a warning', (name) => {
    const line = '{"op":"c","after":{"holding_id":1,"user_id":2}}';
    const missing = `the row image has no column "${name}"; written as NULL (check --fields and the --*-field options)`;
    const o = { createdField: '' };
    expect(decode(line, { ...o, fields: [name] })).toEqual([['1', '2', name, null, null, null, null, null, I, 'c']]);
    expect(warningsOf(line, { ...o, fields: [name] })).toEqual([missing]);
    expect(decode(line, { ...o, fields: ['holding_id'], userField: name })).toEqual([['1', null, 'holding_id', null, '1', null, null, null, I, 'c']]);
    expect(warningsOf(line, { ...o, fields: ['holding_id'], userField: name })).toEqual([missing]);
    expect(decode(line, { fields: ['holding_id'], createdField: name })).toEqual([['1', '2', 'holding_id', null, '1', null, null, null, I, 'c']]);
    expect(warningsOf(line, { fields: ['holding_id'], createdField: name })).toEqual([missing]);
    expect(decode(line, { idField: name })).toMatch(new RegExp(`^rejected: the id column "${name}" is not in "after"`));
  });

  it('a column named __proto__ that the row has is read like any other', () => {
    const line = '{"op":"c","after":{"holding_id":1,"__proto__":"p","constructor":"c"}}';
    expect(decode(line, { fields: ['__proto__', 'constructor'], userField: 'holding_id' })).toEqual([
      ['1', '1', '__proto__', null, 'p', null, null, null, I, 'c'],
      ['1', '1', 'constructor', null, 'c', null, null, null, I, 'c'],
    ]);
  });
});
