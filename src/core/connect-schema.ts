// A Connect schema's shape is checked by hand, not by zod, for the reason event.ts gives;
// test/core/shapes.test.ts runs both over generated schemas.

/** What the pivot needs to know about one column of the captured table. */
export interface FieldType {
  /** The Connect type: int32, int64, string, bytes, struct, … */
  readonly type: string;
  /** The logical (semantic) type, e.g. io.debezium.time.MicroTimestamp. */
  readonly name: string | undefined;
  /** Decimal's scale, from the schema's parameters. */
  readonly scale: number | undefined;
  /** io.debezium.data.Bits' declared number of bits, from the schema's parameters. */
  readonly length: number | undefined;
  /** An array's element type. */
  readonly items: FieldType | undefined;
}

/** The part of a JsonConverter schema the pivot uses: the columns of the row images. */
export interface DecodedSchema {
  readonly columns: ReadonlyMap<string, FieldType>;
}

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Connect type: an object with a string "type", and when present a string "name" and an object "parameters". */
function isConnectType(value: unknown): value is JsonObject & { readonly type: string } {
  if (!isObject(value) || typeof value['type'] !== 'string') return false;
  const { name, parameters } = value;
  return (name === undefined || typeof name === 'string') && (parameters === undefined || isObject(parameters));
}

/** A struct's field: a Connect type with a string "field", and when present an array "fields". */
function isConnectField(value: unknown): value is JsonObject & { readonly type: string; readonly field: string } {
  return isConnectType(value) && typeof value['field'] === 'string' && (value['fields'] === undefined || Array.isArray(value['fields']));
}

function integerParameter(type: JsonObject, name: string): number | undefined {
  const parameters = type['parameters'] as JsonObject | undefined;
  const value = Number(parameters?.[name]);
  return Number.isInteger(value) ? value : undefined;
}

// PostgreSQL arrays have at most 6 dimensions (MAXDIM); deeper element types are not followed, so
// a schema nested without end cannot exhaust the stack.
const MAX_ITEMS_DEPTH = 6;

function fieldType(type: JsonObject & { readonly type: string }, depth = 0): FieldType {
  const items = type['items'];
  return {
    type: type.type,
    name: type['name'] as string | undefined,
    scale: integerParameter(type, 'scale'),
    length: integerParameter(type, 'length'),
    items: depth < MAX_ITEMS_DEPTH && isConnectType(items) ? fieldType(items, depth + 1) : undefined,
  };
}

/**
 * Reads the column types of the `after` (or `before`) struct of a Debezium envelope schema, or
 * of the struct itself when it has neither (a flattened event's, from ExtractNewRecordState):
 * null for `"schema": null`, an error message when it is not a Connect schema at all.
 */
export function decodeConnectSchema(schema: unknown): DecodedSchema | null | string {
  if (schema === null) return null;
  if (!isObject(schema) || typeof schema['type'] !== 'string' || (schema['fields'] !== undefined && !Array.isArray(schema['fields']))) {
    return 'malformed "schema": not a Kafka Connect schema';
  }
  const fields = (schema['fields'] ?? []) as readonly unknown[];
  const columns = new Map<string, FieldType>();
  const add = (structFields: readonly unknown[]): void => {
    for (const raw of structFields) if (isConnectField(raw) && !columns.has(raw.field)) columns.set(raw.field, fieldType(raw));
  };
  // The first well-formed "after" and "before" fields, each read once.
  let after: (JsonObject & { readonly field: string }) | undefined;
  let before: (JsonObject & { readonly field: string }) | undefined;
  for (const field of fields) {
    if (!isConnectField(field)) continue;
    if (field.field === 'after') after ??= field;
    else if (field.field === 'before') before ??= field;
  }
  if (after === undefined && before === undefined) add(fields);
  for (const image of [after, before]) if (image !== undefined && image['fields'] !== undefined) add(image['fields'] as readonly unknown[]);
  return { columns };
}
