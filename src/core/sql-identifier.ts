/** Quoting SQL identifiers as PostgreSQL's quote_ident does, for the SQL the messages suggest. */

// The keywords that cannot be used as a name unquoted: every one of PostgreSQL 15's keywords but
// the unreserved ones (SELECT word FROM pg_get_keywords() WHERE catcode <> 'U').
const RESERVED = new Set(
  `
  all analyse analyze and any array as asc asymmetric authorization between bigint binary bit
  boolean both case cast char character check coalesce collate collation column concurrently
  constraint create cross current_catalog current_date current_role current_schema current_time
  current_timestamp current_user dec decimal default deferrable desc distinct do else end except
  exists extract false fetch float for foreign freeze from full grant greatest group grouping
  having ilike in initially inner inout int integer intersect interval into is isnull join lateral
  leading least left like limit localtime localtimestamp national natural nchar none normalize not
  notnull null nullif numeric offset on only or order out outer overlaps overlay placing position
  precision primary real references returning right row select session_user setof similar smallint
  some substring symmetric table tablesample then time timestamp to trailing treat trim true union
  unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat
  xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
`
    .trim()
    .split(/\s+/),
);

/** An identifier as SQL text: as it is when PostgreSQL reads it back unchanged, else in double quotes. */
function quoteIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/** A table name, schema-qualified when the schema is known, each part quoted as needed. */
export function qualifiedName(schema: string | undefined, table: string): string {
  return schema === undefined ? quoteIdentifier(table) : `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
