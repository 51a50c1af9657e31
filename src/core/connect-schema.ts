// zod/mini: the same validators, but it loads much faster, and start-up counts in a pipe (bench/README.md).
import * as z from 'zod/mini';

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

const ConnectType = z.looseObject({
  type: z.string(),
  name: z.optional(z.string()),
  parameters: z.optional(z.record(z.string(), z.unknown())),
  items: z.optional(z.unknown()),
});

const ConnectField = z.extend(ConnectType, {
  field: z.string(),
  fields: z.optional(z.array(z.unknown())),
});

const ConnectEnvelope = z.looseObject({
  type: z.string(),
  fields: z.optional(z.array(z.unknown())),
});

function integerParameter(type: z.infer<typeof ConnectType>, name: string): number | undefined {
  const value = Number(type.parameters?.[name]);
  return Number.isInteger(value) ? value : undefined;
}

// PostgreSQL arrays have at most 6 dimensions (MAXDIM); deeper element types are not followed, so
// a schema nested without end cannot exhaust the stack.
const MAX_ITEMS_DEPTH = 6;

function fieldType(type: z.infer<typeof ConnectType>, depth = 0): FieldType {
  const items = type.items === undefined || depth >= MAX_ITEMS_DEPTH ? undefined : ConnectType.safeParse(type.items);
  return {
    type: type.type,
    name: type.name,
    scale: integerParameter(type, 'scale'),
    length: integerParameter(type, 'length'),
    items: items?.success === true ? fieldType(items.data, depth + 1) : undefined,
  };
}

/**
 * Reads the column types of the `after` (or `before`) struct of a Debezium envelope schema, or
 * of the struct itself when it has neither (a flattened event's, from ExtractNewRecordState):
 * null for `"schema": null`, an error message when it is not a Connect schema at all.
 */
export function decodeConnectSchema(schema: unknown): DecodedSchema | null | string {
  if (schema === null) return null;
  const envelope = ConnectEnvelope.safeParse(schema);
  if (!envelope.success) return 'malformed "schema": not a Kafka Connect schema';
  const columns = new Map<string, FieldType>();
  const add = (fields: readonly unknown[]): void => {
    for (const raw of fields) {
      const column = ConnectField.safeParse(raw);
      if (column.success && !columns.has(column.data.field)) columns.set(column.data.field, fieldType(column.data));
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
