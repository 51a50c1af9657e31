/**
 * Debezium's encoding of one value of each PostgreSQL type its PostgreSQL connector sends, for the
 * integration test: each is pivoted, loaded, cast back to its source type and compared with the
 * literal it came from. `encode` is SQL that computes the JSON value from `$v` (the typed literal)
 * where PostgreSQL itself can say what Debezium sends; `json` is the JSON value, from Debezium's
 * documented encoding, where it cannot.
 */

export interface TypeCase {
  readonly pgType: string;
  readonly literal: string;
  /** The Connect schema of the column, without "field". */
  readonly schema: object;
  readonly json?: string;
  readonly encode?: string;
  /** SQL of `$v` both sides are compared by, when PostgreSQL's text of equal values differs. */
  readonly compare?: string;
}

// Microseconds and days since 1970-01-01 exactly: extract(epoch …) rounds near the ends of the range.
const MICROS = "((($v)::date - date '1970-01-01')::bigint * 86400000000 + (extract(epoch from ($v)::time) * 1000000)::bigint)::text";
const MILLIS = `((${MICROS})::numeric / 1000)::bigint::text`;
const DAYS = "(($v) - date '1970-01-01')::text";
const TIME_MICROS = "(extract(epoch from $v) * 1000000)::bigint::text";
const BASE64 = "to_json(replace(encode($v, 'base64'), E'\\n', ''))::text";

const micro = { type: 'int64', name: 'io.debezium.time.MicroTimestamp' };
const milli = { type: 'int64', name: 'io.debezium.time.Timestamp' };
const connectMilli = { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' };
const date = { type: 'int32', name: 'io.debezium.time.Date' };
const connectDate = { type: 'int32', name: 'org.apache.kafka.connect.data.Date' };

const timestamps = (pgType: string, schema: object, encode: string, infinities: [string, string]): TypeCase[] => [
  ...['2021-06-26 21:50:00.000001', '1969-12-31 23:59:59.999999', '0044-03-15 12:00:00.5 BC', '0001-01-01 00:00:00 BC', '10000-01-01 00:00:00', '4714-11-24 00:00:00 BC']
    .map((t) => (pgType === 'timestamp(3)' ? t.replace(/\.\d{4,}/, (f) => f.slice(0, 4)) : t))
    .map((literal) => ({ pgType, literal: `'${literal}'`, schema, encode })),
  { pgType, literal: "'infinity'", schema, json: infinities[0] },
  { pgType, literal: "'-infinity'", schema, json: infinities[1] },
];

export const TYPE_CASES: readonly TypeCase[] = [
  // time.precision.mode=adaptive (the default) and adaptive_time_microseconds.
  ...timestamps('timestamp(6)', micro, MICROS, ['9223372036825200000', '-9223372036832400000']),
  { pgType: 'timestamp(6)', literal: "'294247-01-10 04:00:54.775807'", schema: micro, encode: MICROS },
  ...timestamps('timestamp(3)', milli, MILLIS, ['9223372036825200', '-9223372036832400']),
  // time.precision.mode=connect.
  ...timestamps('timestamp(3)', connectMilli, MILLIS, ['9223372036825200', '-9223372036832400']),
  ...['2022-10-14', '1969-12-31', '0001-01-01 BC', '10000-01-01', '4714-11-24 BC', '5874897-12-31'].flatMap((d) => [
    { pgType: 'date', literal: `'${d}'`, schema: date, encode: DAYS },
    { pgType: 'date', literal: `'${d}'`, schema: connectDate, encode: DAYS },
  ]),
  { pgType: 'date', literal: "'infinity'", schema: date, json: '-2147472692' },
  { pgType: 'date', literal: "'-infinity'", schema: date, json: '-2147472691' },
  ...['23:55:31.98936', '00:00:00', '24:00:00'].map((t) => ({ pgType: 'time(6)', literal: `'${t}'`, schema: { type: 'int64', name: 'io.debezium.time.MicroTime' }, encode: TIME_MICROS })),
  ...['23:55:31.989', '24:00:00'].flatMap((t) => [
    { pgType: 'time(3)', literal: `'${t}'`, schema: { type: 'int32', name: 'io.debezium.time.Time' }, encode: `((${TIME_MICROS})::numeric / 1000)::bigint::text` },
    { pgType: 'time(3)', literal: `'${t}'`, schema: { type: 'int32', name: 'org.apache.kafka.connect.data.Time' }, encode: `((${TIME_MICROS})::numeric / 1000)::bigint::text` },
  ]),
  { pgType: 'time(6)', literal: "'23:55:31.98936'", schema: { type: 'int64', name: 'io.debezium.time.NanoTime' }, encode: `((${TIME_MICROS})::numeric * 1000)::text` },
  { pgType: 'timestamp(6)', literal: "'2021-06-26 21:50:00.000001'", schema: { type: 'int64', name: 'io.debezium.time.NanoTimestamp' }, encode: `((${MICROS})::numeric * 1000)::text` },
  // timestamptz and timetz: Debezium's ISO text in UTC.
  { pgType: 'timestamptz', literal: "'2021-06-26 21:50:00.000001+00'", schema: { type: 'string', name: 'io.debezium.time.ZonedTimestamp' }, json: '"2021-06-26T21:50:00.000001Z"' },
  { pgType: 'timestamptz', literal: "'infinity'", schema: { type: 'string', name: 'io.debezium.time.ZonedTimestamp' }, json: '"infinity"' },
  { pgType: 'timestamptz', literal: "'0044-03-15 12:00:00+00 BC'", schema: { type: 'string', name: 'io.debezium.time.ZonedTimestamp' }, json: '"-0043-03-15T12:00:00Z"' },
  { pgType: 'timestamptz', literal: "'10000-01-01 00:00:00+00'", schema: { type: 'string', name: 'io.debezium.time.ZonedTimestamp' }, json: '"+10000-01-01T00:00:00Z"' },
  { pgType: 'timetz', literal: "'21:50:00.000001+00'", schema: { type: 'string', name: 'io.debezium.time.ZonedTime' }, json: '"21:50:00.000001Z"' },
  // interval.handling.mode=numeric (the default; exact without months) and string.
  ...['730:30:00', '1 day 02:03:04.000005', '-00:00:00.000001', '-3 days', '2562047788:00:54.775807'].map((i) => ({
    pgType: 'interval',
    literal: `'${i}'`,
    schema: { type: 'int64', name: 'io.debezium.time.MicroDuration' },
    encode: '(extract(epoch from $v) * 1000000)::bigint::text',
    // Debezium counts a day as 24 hours and sends one number: the text is that many hours.
    compare: 'justify_hours($v)',
  })),
  { pgType: 'interval', literal: "'1 year 2 mons 3 days 04:05:06.78'", schema: { type: 'string', name: 'io.debezium.time.Interval' }, json: '"P1Y2M3DT4H5M6.78S"' },
  { pgType: 'interval', literal: "'-1 years -2 mons +3 days -04:05:06.78'", schema: { type: 'string', name: 'io.debezium.time.Interval' }, json: '"P-1Y-2M3DT-4H-5M-6.78S"' },
  // decimal.handling.mode=precise (the default), double and string.
  { pgType: 'numeric(10,2)', literal: "'30.50'", schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, json: '"C+o="' },
  { pgType: 'numeric(10,2)', literal: "'-0.10'", schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, json: '"9g=="' },
  { pgType: 'numeric', literal: "'-0.200'", schema: { type: 'struct', name: 'io.debezium.data.VariableScaleDecimal' }, json: '{"scale":3,"value":"/zg="}' },
  { pgType: 'money', literal: "'30.50'", schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, json: '"C+o="' },
  { pgType: 'numeric(10,2)', literal: "'30.5'", schema: { type: 'double' }, json: '30.5' },
  { pgType: 'numeric', literal: "'NaN'", schema: { type: 'string' }, json: '"NaN"' },
  // Floats: Jackson writes Java's shortest text, NaN and infinities as strings.
  { pgType: 'float8', literal: "'1e10'", schema: { type: 'double' }, json: '1.0E10' },
  { pgType: 'float8', literal: "'0.1'", schema: { type: 'double' }, json: '0.1' },
  { pgType: 'float8', literal: "'-Infinity'", schema: { type: 'double' }, json: '"-Infinity"' },
  { pgType: 'float4', literal: "'0.1'", schema: { type: 'float' }, json: '0.1' },
  { pgType: 'float4', literal: "'NaN'", schema: { type: 'float' }, json: '"NaN"' },
  { pgType: 'bigint', literal: "'9223372036854775807'", schema: { type: 'int64' }, json: '9223372036854775807' },
  { pgType: 'boolean', literal: "'true'", schema: { type: 'boolean' }, json: 'true' },
  // binary.handling.mode=bytes (the default).
  { pgType: 'bytea', literal: "'\\x0001ff'", schema: { type: 'bytes' }, encode: BASE64 },
  { pgType: 'bytea', literal: "''", schema: { type: 'bytes' }, encode: BASE64 },
  // bit(n) and bit varying: the bits little-endian, the bytes above the highest bit set dropped.
  { pgType: 'bit(5)', literal: "B'00101'", schema: { type: 'bytes', name: 'io.debezium.data.Bits', parameters: { length: '5' } }, json: '"BQ=="' },
  { pgType: 'bit(10)', literal: "B'1000000001'", schema: { type: 'bytes', name: 'io.debezium.data.Bits', parameters: { length: '10' } }, json: '"AQI="' },
  { pgType: 'bit(3)', literal: "B'000'", schema: { type: 'bytes', name: 'io.debezium.data.Bits', parameters: { length: '3' } }, json: '""' },
  { pgType: 'bit varying', literal: "B'101'", schema: { type: 'bytes', name: 'io.debezium.data.Bits', parameters: { length: '2147483647' } }, json: '"BQ=="' },
  { pgType: 'boolean', literal: "B'1'::bit(1)::int::boolean", schema: { type: 'boolean' }, json: 'true' },
  // Strings Debezium passes through.
  { pgType: 'uuid', literal: "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", schema: { type: 'string', name: 'io.debezium.data.Uuid' }, json: '"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"' },
  { pgType: 'jsonb', literal: '\'{"a": [1, "x"]}\'', schema: { type: 'string', name: 'io.debezium.data.Json' }, json: '"{\\"a\\": [1, \\"x\\"]}"' },
  { pgType: 'xml', literal: "'<a>1</a>'", schema: { type: 'string', name: 'io.debezium.data.Xml' }, json: '"<a>1</a>"' },
  { pgType: 'int4range', literal: "'[1,10)'", schema: { type: 'string' }, json: '"[1,10)"' },
  { pgType: 'inet', literal: "'192.168.0.1/24'", schema: { type: 'string' }, json: '"192.168.0.1/24"' },
  { pgType: 'point', literal: "'(1.5,-2)'", schema: { type: 'struct', name: 'io.debezium.data.geometry.Point' }, json: '{"x":1.5,"y":-2.0,"wkb":"AQEAAAAAAAAAAAD4PwAAAAAAAADA","srid":null}' },
  // Arrays, each element by the element's type.
  { pgType: 'int[]', literal: "'{1,NULL,3}'", schema: { type: 'array', items: { type: 'int32', optional: true } }, json: '[1,null,3]' },
  { pgType: 'text[]', literal: `'{"a b","c\\"d","NULL",NULL,"x\\\\y",""}'`, schema: { type: 'array', items: { type: 'string', optional: true } }, json: '["a b","c\\"d","NULL",null,"x\\\\y",""]' },
  { pgType: 'timestamp[]', literal: "'{\"2021-06-26 21:50:00.000001\",infinity}'", schema: { type: 'array', items: { ...micro, optional: true } }, json: '[1624744200000001,9223372036825200000]' },
  { pgType: 'numeric(10,2)[]', literal: "'{30.50,-0.10}'", schema: { type: 'array', items: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } } }, json: '["C+o=","9g=="]' },
  { pgType: 'float8[]', literal: "'{0.1,-2}'", schema: { type: 'array', items: { type: 'double' } }, json: '[0.1,-2.0]' },
  { pgType: 'text[]', literal: "'{}'", schema: { type: 'array', items: { type: 'string' } }, json: '[]' },
  // hstore.handling.mode=map.
  { pgType: 'hstore', literal: `'"a"=>"1", "b c"=>NULL, "q\\"k"=>"v\\\\w"'`, schema: { type: 'map', keys: { type: 'string' }, values: { type: 'string', optional: true } }, json: '{"a":"1","b c":null,"q\\"k":"v\\\\w"}' },
];
