// The shapes of a change event and of a Connect schema are checked by hand (src/core/event.ts,
// connect-schema.ts) so that a run loads no zod. Here are the zod schemas they stand for, and the
// check that both agree, verdict and message, on generated values near and far from valid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { decodeConnectSchema } from '../../src/core/connect-schema.js';
import { OPS, validateChangeEvent } from '../../src/core/event.js';

const RowImageSchema = z.custom((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { message: 'expected an object' });
const text = z.nullish(z.string({ error: 'expected a string' }));
const number = z.nullish(z.number({ error: 'expected a number' }));
const integer = z.nullish(z.number({ error: 'expected an integer' }).check(z.multipleOf(1, { error: 'expected an integer' })));
const SourceShape = z.object(
  { db: text, schema: text, table: text, lsn: integer, txId: integer, ts_ms: number, ts_us: number },
  { error: 'expected an object' },
);
const ChangeEventShape = z.object({
  op: z.enum(OPS, { error: (issue) => (issue.input === undefined ? 'missing "op"' : `unknown op ${JSON.stringify(issue.input)}`) }),
  before: z.nullish(RowImageSchema),
  after: z.nullish(RowImageSchema),
  ts_ms: number,
  source: z.nullish(SourceShape),
});

/** What validateChangeEvent returned when zod checked the event. */
function zodVerdict(value: Record<string, unknown>): 'valid' | string {
  const result = ChangeEventShape.safeParse(value);
  if (result.success) return 'valid';
  const issue = result.error.issues[0];
  if (issue === undefined) return 'not a Debezium change event';
  const path = issue.path.join('.');
  return path === '' || path === 'op' ? issue.message : `"${path}": ${issue.message.toLowerCase()}`;
}

const ConnectType = z.looseObject({ type: z.string(), name: z.optional(z.string()), parameters: z.optional(z.record(z.string(), z.unknown())), items: z.optional(z.unknown()) });
const ConnectField = z.extend(ConnectType, { field: z.string(), fields: z.optional(z.array(z.unknown())) });
const ConnectEnvelope = z.looseObject({ type: z.string(), fields: z.optional(z.array(z.unknown())) });

function zodFieldType(type: z.infer<typeof ConnectType>, depth = 0): unknown {
  const integerParameter = (name: string) => {
    const value = Number(type.parameters?.[name]);
    return Number.isInteger(value) ? value : undefined;
  };
  const items = type.items === undefined || depth >= 6 ? undefined : ConnectType.safeParse(type.items);
  return {
    type: type.type,
    name: type.name,
    scale: integerParameter('scale'),
    length: integerParameter('length'),
    items: items?.success === true ? zodFieldType(items.data, depth + 1) : undefined,
  };
}

/** What decodeConnectSchema returned when zod read the schema. */
function zodDecoded(schema: unknown): unknown {
  if (schema === null) return null;
  const envelope = ConnectEnvelope.safeParse(schema);
  if (!envelope.success) return 'malformed "schema": not a Kafka Connect schema';
  const columns = new Map<string, unknown>();
  const add = (fields: readonly unknown[]): void => {
    for (const raw of fields) {
      const column = ConnectField.safeParse(raw);
      if (column.success && !columns.has(column.data.field)) columns.set(column.data.field, zodFieldType(column.data));
    }
  };
  const top = envelope.data.fields?.map((f) => ConnectField.safeParse(f)) ?? [];
  const images = top.filter((f) => f.success && (f.data.field === 'after' || f.data.field === 'before'));
  if (images.length === 0) add(envelope.data.fields ?? []);
  for (const image of ['after', 'before']) {
    const struct = images.find((f) => f.data?.field === image);
    if (struct?.success === true && struct.data.fields !== undefined) add(struct.data.fields);
  }
  return { columns };
}

// Numbers near the edges of "integer": zod's multipleOf(1) allows a few ulps of error.
const numberArb = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1 + Number.EPSILON, 1 - Number.EPSILON / 2, 1e-7, 2 ** 53 + 2, 1e21, 1.5e300, -4.000000000000001, 0.5),
);
const leafArb = fc.oneof(numberArb, fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null));
const valueArb = fc.oneof({ weight: 4, arbitrary: leafArb }, { weight: 1, arbitrary: fc.array(leafArb, { maxLength: 2 }) }, { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), leafArb, { maxKeys: 2 }) });
/** An object with some of `keys`, each holding a value of the right kind or any other. */
const objectOf = (keys: readonly string[], right: (key: string) => fc.Arbitrary<unknown>) =>
  fc.tuple(...keys.map((key) => fc.option(fc.oneof({ weight: 3, arbitrary: right(key) }, { weight: 1, arbitrary: valueArb }), { nil: undefined, freq: 4 }))).map((values) => {
    const object: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      if (values[i] !== undefined) object[key] = values[i];
    });
    return object;
  });

const sourceArb = objectOf(['db', 'schema', 'table', 'lsn', 'txId', 'ts_ms', 'ts_us', 'version'], (key) =>
  ['db', 'schema', 'table'].includes(key) ? fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null)) : fc.oneof(numberArb, fc.constant(null)),
);
const eventArb = objectOf(['op', 'before', 'after', 'ts_ms', 'source', 'transaction'], (key) => {
  if (key === 'op') return fc.constantFrom(...OPS, 'x', 'C');
  if (key === 'source') return fc.oneof(sourceArb, fc.constant(null));
  if (key === 'ts_ms') return fc.oneof(numberArb, fc.constant(null));
  return fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), leafArb, { maxKeys: 2 }), fc.constant(null));
});

const connectTypeArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  type: fc.oneof(
    { weight: 1, arbitrary: valueArb },
    {
      weight: 4,
      arbitrary: objectOf(['type', 'name', 'parameters', 'items', 'field', 'fields', 'optional'], (key) => {
        if (key === 'type') return fc.constantFrom('int32', 'string', 'struct', 'array');
        if (key === 'name') return fc.constantFrom('io.debezium.time.MicroTimestamp', 'org.apache.kafka.connect.data.Decimal');
        if (key === 'parameters') return fc.dictionary(fc.constantFrom('scale', 'length', 'x'), fc.oneof(fc.constantFrom('2', '8', '1.5', 'a'), numberArb), { maxKeys: 2 });
        if (key === 'items') return tie('type');
        if (key === 'field') return fc.constantFrom('after', 'before', 'id', 'name', 'id');
        return fc.array(tie('type'), { maxLength: 4 });
      }),
    },
  ),
})).type;

describe('the hand-written shape checks agree with the zod schemas they stand for', () => {
  it('a change event: the same verdict, and the same message', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const verdict = validateChangeEvent(event);
        expect((verdict as unknown) === event ? 'valid' : verdict).toEqual(zodVerdict(event));
      }),
      { numRuns: 3000 },
    );
  });

  it('a Connect schema: the same columns and types, or the same refusal', () => {
    fc.assert(
      fc.property(fc.oneof(connectTypeArb, fc.constant(null)), (schema) => {
        expect(decodeConnectSchema(schema)).toEqual(zodDecoded(schema));
      }),
      { numRuns: 3000 },
    );
  });
});
