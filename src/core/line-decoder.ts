import type { Cell, OutputRow } from './columns.js';
import { decodeConnectSchema, type DecodedSchema } from './connect-schema.js';
import { validateChangeEvent, type ChangeEvent } from './event.js';
import { parseExactJson } from './exact-json.js';
import { isFlattened, unflatten } from './flattened.js';
import { identityCells, type KafkaPosition } from './identity.js';
import { endOfJsonValue } from './json-scan.js';
import type { PivotOptions } from './options.js';
import { pivotEvent, type PivotContext, type PivotResult } from './pivot.js';
import { commandLineTable, routeEvent, type TableSpec } from './tables.js';
import { NEEDS_EXACT_NUMBERS } from './values.js';

/** The rows of one event as written: with a table list, each starts with the table's name. */
type Written = Exclude<PivotResult, { kind: 'rows' }> | (Omit<Extract<PivotResult, { kind: 'rows' }>, 'rows'> & { readonly rows: OutputRow[] });

/** What became of one input line; a kcat -J line's outcome says which Kafka message it was. */
export type LineOutcome = (Written | { readonly kind: 'tombstone' }) & { readonly position?: KafkaPosition };

const TOMBSTONE: LineOutcome = { kind: 'tombstone' };
const NO_CELLS: readonly Cell[] = [];
const rejected = (reason: string): LineOutcome => ({ kind: 'rejected', reason });

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

// Where a value can be read again, exactly: the JSON text it came from and the keys leading to it,
// passed as two arguments, not as an object: one made per line would be garbage for every event.
const AT_TOP: readonly string[] = [];
const IN_PAYLOAD: readonly string[] = ['payload'];

/** A schema seen before, and the exact text every line carrying it starts with. */
interface KnownSchema {
  /** `{"schema":<schema>,"payload":` */
  readonly prefix: string;
  readonly schema: DecodedSchema | null;
}

const ENVELOPE_START = '{"schema":';
const PAYLOAD_KEY = ',"payload":';
// A topic rarely mixes more than a handful of schemas; this bounds the work per line when it does.
const MAX_KNOWN_SCHEMAS = 8;
// Keeping a prefix pins its text; a pathological multi-megabyte schema is not worth caching.
const MAX_PREFIX_LENGTH = 1 << 20;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

function jsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 quotes the input in some messages; the reporter shows an excerpt of the line already.
  const token = /^Unexpected token '(.+?)', .* is not valid JSON$/s.exec(message);
  return `not JSON (${token ? `unexpected ${JSON.stringify(token[1])}` : message})`;
}

function isTransactionMetadata(value: JsonObject): boolean {
  return (value['status'] === 'BEGIN' || value['status'] === 'END') && typeof value['id'] === 'string';
}

function isHeartbeat(value: JsonObject): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'ts_ms' && typeof value['ts_ms'] === 'number';
}

function isKcatJson(value: JsonObject): boolean {
  return (
    typeof value['topic'] === 'string' &&
    typeof value['partition'] === 'number' &&
    typeof value['offset'] === 'number' &&
    ('payload' in value || 'payload_error' in value)
  );
}

/**
 * The event's rows, with the `--with` columns when there are any, after its table's name when it
 * has one: each row copied once, whatever is added to it.
 */
function pivot(event: ChangeEvent, ctx: PivotContext, position: KafkaPosition | undefined, table: string | null): Written {
  const result = pivotEvent(event, ctx);
  if (result.kind !== 'rows' || result.rows.length === 0 || (table === null && ctx.options.with.length === 0)) return result;
  const extra = ctx.options.with.length === 0 ? NO_CELLS : identityCells(result, event, position, ctx.options);
  if ('reason' in extra) return { kind: 'rejected', reason: extra.reason };
  const rows = result.rows.map((row): OutputRow => (table === null ? [...row, ...extra] : [table, ...row, ...extra]));
  return { ...result, rows };
}

function unconfigured(table: string): LineOutcome {
  const message = `events of ${table} are skipped: it is not one of the tables of --config or --table`;
  return { kind: 'skipped', what: 'unconfigured', notice: { code: 'table-unconfigured', subject: table, message } };
}

/** The change event an ExtractNewRecordState value stands for, or why it is none. */
function unflattenedEvent(value: JsonObject): ChangeEvent | string {
  const event = unflatten(value);
  return typeof event === 'string' ? event : validateChangeEvent(event);
}

/** Nothing a line holds may crash the filter: whatever still throws rejects the line instead. */
function thrown(error: unknown): LineOutcome {
  // RangeError: a value nested too deeply to format, or a string too long to build.
  if (error instanceof RangeError) return rejected(`cannot be converted (${error.message})`);
  return rejected(`internal error, please report it (${error instanceof Error ? error.message : String(error)})`);
}

/**
 * Turns one line of input — a Debezium message value in any of the forms kcat and Kafka's tools
 * print — into pivot rows, or says why it yields none. Pure but for one cache: the text of the
 * schemas it has met, so that the ~80% of an enveloped line that is schema is parsed once per
 * schema instead of once per line.
 */
export class LineDecoder {
  private readonly known: KnownSchema[] = [];
  /** The table every event is pivoted with when there is no table list. */
  private readonly commandLine: TableSpec;

  constructor(private readonly options: PivotOptions) {
    this.commandLine = commandLineTable(options);
  }

  /** Decodes a line (without its line end); `insertedAt` becomes the rows' datetime_inserted. */
  decode(line: string, insertedAt: string): LineOutcome {
    try {
      return this.decodeValueText(line, insertedAt, true);
    } catch (error) {
      return thrown(error);
    }
  }

  /** The same as decode, but never takes the shortcut: the reference the shortcut is tested against. */
  decodeWithoutShortcut(line: string, insertedAt: string): LineOutcome {
    try {
      return new LineDecoder(this.options).decodeFull(line, insertedAt, true);
    } catch (error) {
      return thrown(error);
    }
  }

  private decodeValueText(text: string, insertedAt: string, outer: boolean, position?: KafkaPosition): LineOutcome {
    const shortcut = this.decodeKnownEnvelope(text, insertedAt, position);
    return shortcut ?? this.decodeFull(text, insertedAt, outer, position);
  }

  /** The shortcut: a line that starts with a known schema's exact text needs only its payload parsed. */
  private decodeKnownEnvelope(text: string, insertedAt: string, position: KafkaPosition | undefined): LineOutcome | undefined {
    for (let i = 0; i < this.known.length; i++) {
      const known = this.known[i] as KnownSchema;
      const { prefix } = known;
      // Comparing equal-length slices is far faster in V8 than startsWith for long prefixes.
      if (text.length <= prefix.length || text.slice(0, prefix.length) !== prefix) continue;
      let end = text.length;
      while (end > prefix.length && isSpace(text.charCodeAt(end - 1))) end--;
      if (text.charCodeAt(end - 1) !== 0x7d) return undefined;
      const payloadText = text.slice(prefix.length, end - 1);
      let payload: unknown;
      try {
        payload = JSON.parse(payloadText);
      } catch {
        // Not `<payload>}`: something follows the payload. Let the full parse judge the line.
        return undefined;
      }
      if (i > 0) {
        this.known.splice(i, 1);
        this.known.unshift(known);
      }
      if (payload === null) return TOMBSTONE;
      return this.fromValue(payload, known.schema, payloadText, AT_TOP, insertedAt, position);
    }
    return undefined;
  }

  private decodeFull(text: string, insertedAt: string, outer: boolean, position?: KafkaPosition): LineOutcome {
    if (isBlank(text)) return TOMBSTONE;
    const trimmed = text.length <= 12 ? text.trim() : text;
    // kcat -Z prints a null value as NULL; kafka-console-consumer prints null.
    if (trimmed === 'NULL' || trimmed === 'null') return TOMBSTONE;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return rejected(jsonError(error));
    }
    if (!isObject(parsed)) return rejected(`not a Debezium change event (the line is ${describe(parsed)})`);
    if (outer && isKcatJson(parsed)) return this.fromKcatJson(parsed, text, insertedAt);
    if ('schema' in parsed && 'payload' in parsed) {
      if (parsed['payload'] === null) return TOMBSTONE;
      const schema = decodeConnectSchema(parsed['schema']);
      if (typeof schema === 'string') return rejected(schema);
      this.remember(text);
      return this.fromValue(parsed['payload'], schema, text, IN_PAYLOAD, insertedAt, position);
    }
    return this.fromValue(parsed, null, text, AT_TOP, insertedAt, position);
  }

  /** kcat -J: the message value is a JSON string inside the line (or an object, with -s avro). */
  private fromKcatJson(line: JsonObject, text: string, insertedAt: string): LineOutcome {
    const value = line['payload'];
    const position = { topic: line['topic'] as string, partition: line['partition'] as number, offset: line['offset'] as number };
    const where = `topic ${position.topic}, partition ${position.partition}, offset ${position.offset}`;
    let outcome: LineOutcome;
    // kcat -s value=avro writes "payload":null and the deserialiser's message when a value fails.
    const error = line['payload_error'];
    try {
      if (!Number.isSafeInteger(position.partition) || !Number.isSafeInteger(position.offset)) {
        outcome = rejected('kcat -J "partition" and "offset" must be exact integers');
      } else if (error !== undefined) {
        outcome = rejected(`kcat could not deserialise the value: ${typeof error === 'string' ? error : JSON.stringify(error)}`);
      } else if (value === null) outcome = TOMBSTONE;
      else if (typeof value === 'string') outcome = this.decodeValueText(value, insertedAt, false, position);
      else if (isObject(value)) outcome = this.fromValue(value, null, text, IN_PAYLOAD, insertedAt, position);
      else outcome = rejected(`kcat -J "payload" is ${describe(value)}`);
    } catch (error) {
      // Here, not only in decode, so that even this outcome says which message it was.
      outcome = thrown(error);
    }
    return outcome.kind === 'rejected' ? { ...rejected(`${outcome.reason} (${where})`), position } : { ...outcome, position };
  }

  /**
   * Learns the exact text of an envelope's schema, so later lines with it take the shortcut. The
   * schema is decoded from that text alone, not taken from the line: a line whose keys repeat
   * (a second "schema" after the payload) means another schema to JSON.parse, and must not lend
   * it to the lines that merely start like it.
   */
  private remember(text: string): void {
    if (!text.startsWith(ENVELOPE_START)) return;
    const end = endOfJsonValue(text, ENVELOPE_START.length);
    if (end > MAX_PREFIX_LENGTH || !text.startsWith(PAYLOAD_KEY, end)) return;
    // Concatenating then slicing makes V8 copy the prefix, so it does not pin the whole line.
    const prefix = (text.slice(0, end + PAYLOAD_KEY.length) + ' ').slice(0, -1);
    if (this.known.some((k) => k.prefix === prefix)) return;
    const schema = decodeConnectSchema(JSON.parse(text.slice(ENVELOPE_START.length, end)));
    if (typeof schema === 'string') return;
    this.known.unshift({ prefix, schema });
    if (this.known.length > MAX_KNOWN_SCHEMAS) this.known.pop();
  }

  private fromValue(
    value: unknown,
    schema: DecodedSchema | null,
    sourceText: string,
    sourcePath: readonly string[],
    insertedAt: string,
    position: KafkaPosition | undefined,
  ): LineOutcome {
    if (!isObject(value)) return rejected(`not a Debezium change event (the payload is ${describe(value)})`);
    const flattened = isFlattened(value);
    if (!flattened && !('op' in value)) {
      if (isTransactionMetadata(value)) return { kind: 'skipped', what: 'transaction' };
      if (isHeartbeat(value)) return { kind: 'skipped', what: 'heartbeat' };
      return rejected('not a Debezium change event (no "op")');
    }
    const event = flattened ? unflattenedEvent(value) : validateChangeEvent(value);
    if (typeof event === 'string') return rejected(event);
    let table = this.commandLine;
    let name: string | null = null;
    if (this.options.tables !== null) {
      const routed = routeEvent(this.options.tables, event.source, position?.topic);
      if (routed === null) return rejected('the event names no table (source.schema and source.table, or a kcat -J topic), so no configured table applies');
      if (routed.table === undefined) return unconfigured(routed.name);
      ({ table, name } = { table: routed.table, name: routed.name });
    }
    const ctx = { options: this.options, table, schema, insertedAt };
    try {
      return pivot(event, ctx, position, name);
    } catch (error) {
      if (error !== NEEDS_EXACT_NUMBERS) throw error;
    }
    // A number beyond what a double holds exactly: read the event again, keeping every number's digits.
    let exact: unknown = parseExactJson(sourceText);
    for (const key of sourcePath) exact = (exact as JsonObject)[key];
    // Checked already, as doubles: the exact numbers would fail the checks for numbers.
    const exactEvent = isFlattened(exact as JsonObject) ? unflatten(exact as JsonObject) : exact;
    return pivot(exactEvent as ChangeEvent, ctx, position, name);
  }
}
