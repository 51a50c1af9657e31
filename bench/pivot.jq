# The benchmark's jq reference: holding-pivot's default conversion as a jq program.
#   jq -R -r -f bench/pivot.jq < events.jsonl
# Reads raw lines so that a tombstone (an empty line) or a line that is not JSON is skipped, not
# fatal; takes the payload out of a schema envelope or the bare payload as it is; skips op "r" (as
# holding-pivot does without --snapshot) and anything that is not c/u/d. Writes the same rows as
# holding-pivot: one per tracked field, timestamps as ISO 8601 UTC, NULL as an empty field.
# @csv quotes every string where holding-pivot quotes only when needed: same rows, other bytes.

def pad(n): tostring | ("000000000" + .) | .[(length - n):];
# An epoch count (units per second: 1000 or 1000000) as ISO 8601 with its fraction.
def iso(per; digits):
  if type == "number"
  then (. / per | floor) as $s | ($s | todate | .[0:19]) + "." + ((. - $s * per) | pad(digits)) + "Z"
  else . end;
def iso_us: iso(1000000; 6);

def fields: "holding_stock", "holding_quantity";
# The commit time, as holding-pivot writes it: source.ts_us (Debezium 2.6+), else source.ts_ms.
def committed: .source | if .ts_us != null then .ts_us | iso_us elif .ts_ms != null then .ts_ms * 1000 | iso_us else null end;

fromjson? // empty
| if type == "object" and has("schema") and has("payload") then .payload else . end
| select(type == "object")
| . as $p
| (now * 1000 | floor | iso(1000; 3)) as $inserted
| if $p.op == "c" then
    $p.after as $a
    | fields as $f
    | [$a.holding_id, $a.user_id, $f, null, $a[$f], ($a.datetime_created | iso_us), null, null, $inserted, "c"]
  elif $p.op == "u" then
    $p.after as $a | ($p.before // {}) as $b
    | fields as $f
    | [$a.holding_id, $a.user_id, $f, $b[$f], $a[$f], null, ($p | committed), null, $inserted, "u"]
  elif $p.op == "d" then
    $p.before as $b
    | fields as $f
    | [$b.holding_id, $b.user_id, $f, $b[$f], null, null, null, ($p | committed), $inserted, "d"]
  else empty end
| @csv
