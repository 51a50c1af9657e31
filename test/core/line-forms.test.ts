import { describe, expect, it } from 'vitest';
import { holding, holdingEventLine, holdingPayload, HOLDING_SCHEMA, messageJson, type HoldingChange } from '../support/debezium-events.js';
import { decoder, INSERTED as I, rowsOf } from '../support/pivot-helpers.js';

const T = 1624744200000001; // 2021-06-26T21:50:00.000001Z in µs
const CREATE: HoldingChange = { op: 'c', before: null, after: holding(7, 3, 'VTSAX', 100, T), tsMs: 1624744320500, txId: 1, lsn: 100 };
const CREATE_ROWS = [
  ['7', '3', 'holding_stock', null, 'VTSAX', '2021-06-26T21:50:00.000001Z', null, null, I, 'c'],
  ['7', '3', 'holding_quantity', null, '100', '2021-06-26T21:50:00.000001Z', null, null, I, 'c'],
];
const decode = (line: string, options = {}) => rowsOf(decoder(options).decode(line, I));

describe('input forms, detected per line', () => {
  it('reads the JsonConverter envelope and the bare payload alike', () => {
    expect(decode(holdingEventLine(CREATE, true))).toEqual(CREATE_ROWS);
    expect(decode(holdingEventLine(CREATE, false))).toEqual(CREATE_ROWS);
  });

  it('reads an envelope whose schema is null as a bare payload', () => {
    expect(decode(messageJson({ schema: null, payload: holdingPayload(CREATE) }))).toEqual(CREATE_ROWS);
  });

  it('unwraps kcat -J lines, whose payload is the message value as a JSON string', () => {
    const kcatJ = (payload: string | null | object) =>
      JSON.stringify({ topic: 'bankserver1.bank.holding', partition: 0, offset: 42, tstype: 'create', ts: 1, broker: 1, key: '{"holding_id":7}', payload });
    expect(decode(kcatJ(holdingEventLine(CREATE, true)))).toEqual(CREATE_ROWS);
    expect(decode(kcatJ(holdingEventLine(CREATE, false)))).toEqual(CREATE_ROWS);
    expect(decode(kcatJ(null))).toBe('tombstone');
    expect(decode(kcatJ(''))).toBe('tombstone');
    expect(decode(kcatJ({ op: 'c', after: { holding_id: 7 } }))).toEqual([
      ['7', null, 'holding_stock', null, null, null, null, null, I, 'c'],
      ['7', null, 'holding_quantity', null, null, null, null, null, I, 'c'],
    ]);
    expect(decode(kcatJ('oops'))).toBe('rejected: not JSON (unexpected "o") (topic bankserver1.bank.holding, partition 0, offset 42)');
  });

  it.each([
    ['an empty line (kcat)', ''],
    ['a blank line', '  \t'],
    ['NULL (kcat -Z)', 'NULL'],
    ['null (kafka-console-consumer)', 'null'],
    ['an old Connect worker’s null envelope', '{"schema":null,"payload":null}'],
  ])('takes %s for a tombstone', (_, line) => {
    expect(decode(line)).toBe('tombstone');
  });

  it.each([
    ['a heartbeat', '{"ts_ms":1624744320500}', 'heartbeat'],
    ['a schema-wrapped heartbeat', '{"schema":{"type":"struct","fields":[]},"payload":{"ts_ms":1}}', 'heartbeat'],
    ['a transaction BEGIN', '{"status":"BEGIN","id":"571:53195829","ts_ms":1,"event_count":null,"data_collections":null}', 'transaction'],
    ['a transaction END', '{"status":"END","id":"571:53195832","ts_ms":1,"event_count":2,"data_collections":[]}', 'transaction'],
    ['a truncate', '{"source":{"table":"holding"},"op":"t","ts_ms":1}', 'truncate'],
    ['a logical decoding message', '{"source":{},"op":"m","ts_ms":1,"message":{"prefix":"p","content":"eA=="}}', 'message'],
    ['a snapshot read without --snapshot', holdingEventLine({ ...CREATE, op: 'r' }, true), 'snapshot'],
  ])('skips %s', (_, line, what) => {
    expect(decode(line)).toBe(`skipped: ${what}`);
  });
});

describe('rejected lines say why', () => {
  it.each([
    ['garbage', 'not JSON (unexpected "g")', 'garbage'],
    ['truncated JSON', "not JSON (Expected ',' or '}' after property value in JSON at position 9)", '{"op":"c"'],
    ['a JSON array', 'not a Debezium change event (the line is an array)', '[1,2]'],
    ['a JSON number', 'not a Debezium change event (the line is a number)', '42'],
    ['a JSON string', 'not a Debezium change event (the line is a string)', '"c"'],
    ['an object without op', 'not a Debezium change event (no "op")', '{"after":{"holding_id":1}}'],
    ['an unknown op', 'unknown op "x"', '{"op":"x","after":{}}'],
    ['a non-string op', 'unknown op 5', '{"op":5,"after":{}}'],
    ['a create without after', 'op "c" without "after"', '{"op":"c","after":null}'],
    ['an update without after', 'op "u" without "after"', '{"op":"u","before":{"holding_id":1}}'],
    ['a snapshot read without after', 'op "r" without "after"', '{"op":"r"}'],
    ['an after that is not an object', '"after": expected an object', '{"op":"c","after":"x"}'],
    ['a ts_ms that is not a number', '"ts_ms": expected a number', '{"op":"u","after":{},"ts_ms":"soon"}'],
    ['a schema that is not a Connect schema', 'malformed "schema": not a Kafka Connect schema', '{"schema":"x","payload":{"op":"c","after":{}}}'],
    ['a payload that is not an object', 'not a Debezium change event (the payload is a number)', '{"schema":null,"payload":3}'],
  ])('rejects %s', (_, reason, line) => {
    expect(decode(line, { snapshot: true })).toBe(`rejected: ${reason}`);
  });

  it('rejects a delete without before, naming the fix', () => {
    expect(decode('{"op":"d","before":null,"after":null,"source":{"schema":"bank","table":"holding"},"ts_ms":1}')).toBe(
      'rejected: op "d" without "before": nothing to pivot (run ALTER TABLE bank.holding REPLICA IDENTITY FULL)',
    );
  });

  it('rejects instead of crashing on values nested too deeply to write', () => {
    const deep = `{"op":"c","after":{"holding_id":1,"holding_stock":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    expect(decode(deep)).toMatch(/^rejected: cannot be converted \(Maximum call stack size exceeded\)$/);
  });
});

describe('values', () => {
  const schemaOf = (fields: object[]) => ({
    type: 'struct',
    fields: [
      { type: 'struct', fields, optional: true, name: 't.Value', field: 'before' },
      { type: 'struct', fields, optional: true, name: 't.Value', field: 'after' },
      { type: 'string', optional: false, field: 'op' },
    ],
  });
  const enveloped = (fields: object[], after: string) => `{"schema":${JSON.stringify(schemaOf(fields))},"payload":{"op":"c","after":${after}}}`;
  const opts = { fields: ['v'], idField: 'id', userField: 'id', createdField: '' };
  const cellOf = (line: string, options = {}) => {
    const rows = decode(line, { ...opts, ...options });
    return typeof rows === 'string' ? rows : rows[0]?.[4];
  };

  it('writes NULL and the empty string differently', () => {
    expect(cellOf('{"op":"c","after":{"id":1,"v":null}}')).toBe(null);
    expect(cellOf('{"op":"c","after":{"id":1,"v":""}}')).toBe('');
  });

  it('writes numbers exactly, integers beyond 2^53 digit for digit', () => {
    expect(cellOf('{"op":"c","after":{"id":1,"v":9007199254740993}}')).toBe('9007199254740993');
    expect(cellOf('{"op":"c","after":{"id":1,"v":-123456789012345678901234567890}}')).toBe('-123456789012345678901234567890');
    expect(cellOf('{"op":"c","after":{"id":1,"v":5.170}}')).toBe('5.17');
    expect(cellOf('{"op":"c","after":{"id":1,"v":1.0}}')).toBe('1');
    expect(cellOf('{"op":"c","after":{"id":1,"v":1e21}}')).toBe('1000000000000000000000');
    expect(cellOf('{"op":"c","after":{"id":1,"v":0.1000000000000000055511151231257827}}')).toBe('0.1000000000000000055511151231257827');
    expect(cellOf('{"op":"c","after":{"id":1,"v":18446744073709551615}}')).toBe('18446744073709551615');
  });

  it('writes booleans as true/false and structures as compact JSON with exact numbers', () => {
    expect(cellOf('{"op":"c","after":{"id":1,"v":true}}')).toBe('true');
    expect(cellOf('{"op":"c","after":{"id":1,"v":false}}')).toBe('false');
    expect(cellOf('{"op":"c","after":{"id":1,"v":{"a": [1, "x"]}}}')).toBe('{"a":[1,"x"]}');
    expect(cellOf('{"op":"c","after":{"id":1,"v":[1.50, 9007199254740993]}}')).toBe('[1.5,9007199254740993]');
  });

  it('never writes Debezium’s unavailable-value placeholder as data', () => {
    const outcome = decoder(opts).decode('{"op":"c","after":{"id":1,"v":"__debezium_unavailable_value"}}', I);
    expect(rowsOf(outcome)).toEqual([['1', '1', 'v', null, null, null, null, null, I, 'c']]);
    expect(outcome.kind === 'rows' && outcome.warnings.map((w) => w.code)).toEqual(['unavailable-value']);
  });

  it('decodes by the schema’s logical types', () => {
    const cases: [object, string, string][] = [
      [{ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2', 'connect.decimal.precision': '10' } }, '"C+o="', '30.50'],
      [{ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, '30.50', '30.50'],
      [{ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, '30', '30.00'],
      [{ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, '-0.1', '-0.10'],
      [{ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '0' } }, '12345678901234567890', '12345678901234567890'],
      [{ type: 'struct', name: 'io.debezium.data.VariableScaleDecimal' }, '{"scale":3,"value":"/zg="}', '-0.200'],
      [{ type: 'int64', name: 'io.debezium.time.MicroTimestamp' }, '1624744200000001', '2021-06-26T21:50:00.000001Z'],
      [{ type: 'int64', name: 'io.debezium.time.NanoTimestamp' }, '1624744200000000001', '2021-06-26T21:50:00.000000001Z'],
      [{ type: 'int64', name: 'io.debezium.time.Timestamp' }, '1624744320500', '2021-06-26T21:52:00.500Z'],
      [{ type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' }, '1624744320500', '2021-06-26T21:52:00.500Z'],
      [{ type: 'string', name: 'io.debezium.time.ZonedTimestamp' }, '"2021-06-26T21:50:00.000001Z"', '2021-06-26T21:50:00.000001Z'],
      [{ type: 'int32', name: 'io.debezium.time.Date' }, '19279', '2022-10-14'],
      [{ type: 'int64', name: 'io.debezium.time.MicroTime' }, '86131989360', '23:55:31.989360'],
      [{ type: 'int32', name: 'org.apache.kafka.connect.data.Time' }, '3723004', '01:02:03.004'],
      [{ type: 'int64', name: 'io.debezium.time.MicroTimestamp' }, '9223372036825200000', 'infinity'],
      [{ type: 'int64' }, '1624744200000001', '1624744200000001'],
    ];
    for (const [type, json, expected] of cases) {
      const line = enveloped([{ type: 'int32', field: 'id' }, { ...type, optional: true, field: 'v' }], `{"id":1,"v":${json}}`);
      expect(cellOf(line), JSON.stringify(type)).toBe(expected);
    }
  });

  it('keeps raw numbers for every temporal type with --timestamps epoch', () => {
    const line = enveloped([{ type: 'int32', field: 'id' }, { type: 'int32', name: 'io.debezium.time.Date', field: 'v' }], '{"id":1,"v":19279}');
    expect(cellOf(line, { timestamps: 'epoch' })).toBe('19279');
  });

  it('reads a number in the created field as microseconds only when there is no schema', () => {
    const o = { ...opts, createdField: 'at' };
    expect(rowsOf(decoder(o).decode('{"op":"c","after":{"id":1,"v":2,"at":1624744200000001}}', I))).toEqual([
      ['1', '1', 'v', null, '2', '2021-06-26T21:50:00.000001Z', null, null, I, 'c'],
    ]);
    expect(rowsOf(decoder(o).decode('{"op":"c","after":{"id":1,"v":2,"at":"2021-06-26T21:50:00Z"}}', I))).toEqual([
      ['1', '1', 'v', null, '2', '2021-06-26T21:50:00Z', null, null, I, 'c'],
    ]);
    const withSchema = enveloped([{ type: 'int32', field: 'id' }, { type: 'int32', field: 'v' }, { type: 'int64', field: 'at' }], '{"id":1,"v":2,"at":5}');
    expect(rowsOf(decoder(o).decode(withSchema, I))).toEqual('rejected: datetime_created is a PostgreSQL timestamp, but "at" holds "5"; check --created-field');
  });
});

describe('updates and deletes', () => {
  it('pivots an update without before, with NULL old values and a warning naming the fix', () => {
    const outcome = decoder().decode(holdingEventLine({ ...CREATE, op: 'u', before: null }, true), I);
    expect(rowsOf(outcome)).toEqual([
      ['7', '3', 'holding_stock', null, 'VTSAX', null, '2021-06-26T21:52:00.463000Z', null, I, 'u'],
      ['7', '3', 'holding_quantity', null, '100', null, '2021-06-26T21:52:00.463000Z', null, I, 'u'],
    ]);
    expect(outcome.kind === 'rows' && outcome.warnings.map((w) => w.message)).toEqual([
      'updates of bank.holding carry no "before" image, so old_value is NULL; run ALTER TABLE bank.holding REPLICA IDENTITY FULL',
    ]);
  });

  it('keeps update rows with an unknown old value under --changed-only', () => {
    expect(rowsOf(decoder({ changedOnly: true }).decode(holdingEventLine({ ...CREATE, op: 'u', before: null }, false), I))).toHaveLength(2);
  });

  it('pivots any table with --fields and the --*-field options', () => {
    const line = '{"before":{"id":106,"name":"hammer","weight":1.0},"after":{"id":106,"name":"hammer","weight":0.75},"op":"u","ts_ms":1596010890411}';
    expect(rowsOf(decoder({ fields: ['weight'], idField: 'id', userField: 'id', createdField: '' }).decode(line, I))).toEqual([
      ['106', '106', 'weight', '1', '0.75', null, '2020-07-29T08:21:30.411Z', null, I, 'u'],
    ]);
  });

  it('warns once per event when a tracked column is not in the row', () => {
    const outcome = decoder({ fields: ['nope'] }).decode(holdingEventLine(CREATE, false), I);
    expect(outcome.kind === 'rows' && outcome.warnings.map((w) => [w.code, w.subject])).toEqual([['field-missing', 'nope']]);
  });
});

describe('the schema shortcut', () => {
  it('gives exactly what the full parse gives, whatever the schema text holds', () => {
    const tricky = [
      holdingEventLine(CREATE, true),
      holdingEventLine({ ...CREATE, op: 'd', before: CREATE.after, after: null }, true),
      // The same schema, then payloads that are not followed by just "}".
      `${holdingEventLine(CREATE, true).slice(0, -1)},"extra":1}`,
      `${holdingEventLine(CREATE, true)}  `,
      `${holdingEventLine(CREATE, true).slice(0, -1)},"payload":null}`,
      `${holdingEventLine(CREATE, true).slice(0, -1)}}`,
      // A schema whose text contains "payload", in a field name and a doc string.
      messageJson({ schema: { ...HOLDING_SCHEMA, doc: ',"payload":{"op":"d"}}' }, payload: holdingPayload(CREATE) }),
      // Keys in an unusual order: payload first.
      JSON.stringify({ payload: { op: 'c', after: { holding_id: 1 } }, schema: HOLDING_SCHEMA }),
      // A schema that changes mid-stream: the column becomes a Decimal.
      enveloped2('"AdTA"'),
      holdingEventLine(CREATE, true),
      enveloped2('"C+o="'),
      '{"schema":' + JSON.stringify(HOLDING_SCHEMA) + ',"payload":null}',
    ];
    const fast = decoder({ snapshot: true });
    for (const line of [...tricky, ...tricky]) {
      expect(fast.decode(line, I), line.slice(-80)).toEqual(fast.decodeWithoutShortcut(line, I));
    }
  });
});

function enveloped2(quantity: string): string {
  const schema = structuredClone(HOLDING_SCHEMA) as typeof HOLDING_SCHEMA;
  for (const image of schema.fields.slice(0, 2) as { fields: Record<string, unknown>[] }[]) {
    image.fields[3] = { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' }, field: 'holding_quantity' };
  }
  const payload = holdingPayload(CREATE);
  return messageJson({ schema, payload }).replace('"holding_quantity":100', `"holding_quantity":${quantity}`);
}

describe('a line’s rows never depend on the lines before it', () => {
  it('a repeated "schema" key does not lend its schema to the next line that starts like it', () => {
    const good = holdingEventLine(CREATE, true);
    // The same schema without logical types: datetime_created is then a plain int64.
    const plainSchema = JSON.parse(JSON.stringify(HOLDING_SCHEMA).replaceAll('"name":"io.debezium.time.MicroTimestamp",', '')) as unknown;
    const poisoned = `${good.slice(0, -1)},"schema":${JSON.stringify(plainSchema)}}`;
    const o = { fields: ['datetime_updated'], createdField: '' };
    const d = decoder(o);
    // JSON.parse takes the last "schema".
    expect(rowsOf(d.decode(poisoned, I))).toEqual(rowsOf(decoder(o).decodeWithoutShortcut(poisoned, I)));
    expect((rowsOf(d.decode(poisoned, I)) as string[][])[0]?.[4]).toBe('1624744200000001');
    expect(rowsOf(d.decode(good, I))).toEqual(rowsOf(decoder(o).decode(good, I)));
    expect((rowsOf(d.decode(good, I)) as string[][])[0]?.[4]).toBe('2021-06-26T21:50:00.000001Z');
  });
});

describe('kcat -J', () => {
  it('rejects a value kcat could not deserialise instead of counting a tombstone', () => {
    const line = JSON.stringify({ topic: 't', partition: 0, offset: 5, tstype: 'create', ts: 1, broker: 1, key: null, payload: null, payload_error: 'Invalid CP1 magic byte 123' });
    expect(decode(line)).toBe('rejected: kcat could not deserialise the value: Invalid CP1 magic byte 123 (topic t, partition 0, offset 5)');
  });
});
