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
}

/** The part of a JsonConverter schema the pivot uses: the columns of the row images. */
export interface DecodedSchema {
  readonly columns: ReadonlyMap<string, FieldType>;
}

const ConnectField = z.looseObject({
  field: z.string(),
  type: z.string(),
  name: z.optional(z.string()),
  parameters: z.optional(z.record(z.string(), z.unknown())),
  fields: z.optional(z.array(z.unknown())),
});

const ConnectEnvelope = z.looseObject({
  type: z.string(),
  fields: z.optional(z.array(z.unknown())),
});

function fieldType(field: z.infer<typeof ConnectField>): FieldType {
  const scale = Number(field.parameters?.['scale']);
  return { type: field.type, name: field.name, scale: Number.isInteger(scale) ? scale : undefined };
}

/**
 * Reads the column types of the `after` (or `before`) struct of a Debezium envelope schema:
 * null for `"schema": null`, an error message when it is not a Connect schema at all.
 */
export function decodeConnectSchema(schema: unknown): DecodedSchema | null | string {
  if (schema === null) return null;
  const envelope = ConnectEnvelope.safeParse(schema);
  if (!envelope.success) return 'malformed "schema": not a Kafka Connect schema';
  const columns = new Map<string, FieldType>();
  for (const image of ['after', 'before']) {
    const struct = envelope.data.fields
      ?.map((f) => ConnectField.safeParse(f))
      .find((f) => f.success && f.data.field === image);
    if (struct?.success !== true || struct.data.fields === undefined) continue;
    for (const raw of struct.data.fields) {
      const column = ConnectField.safeParse(raw);
      if (column.success && !columns.has(column.data.field)) columns.set(column.data.field, fieldType(column.data));
    }
  }
  return { columns };
}
