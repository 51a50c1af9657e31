#!/usr/bin/env bash
# End-to-end test of holding-pivot against the real pipeline (stack/stack.sh):
# PostgreSQL -> Debezium -> Kafka -> kcat -> node bin/holding-pivot.js -> CSV -> PostgreSQL.
#
#  1. start the stack; register three connectors on bank.holding: the tutorial's (connect/holding-connector.json),
#     a schemas.enable=false twin, and a twin whose topic the worker creates with 3 partitions
#  2. start three `kcat -G` consumers (one group) on the 3-partition topic, each piped into holding-pivot
#  3. run db/walkthrough.sql and db/stress.sql (the seed's first row is already there: snapshot "r")
#  4. consume the tutorial's topic three ways (kcat -C -u, -Z, -J), each piped into holding-pivot with and
#     without --snapshot: all must exit 0 and agree (timestamps of the consumer's clock aside), and match
#     stack/e2e-expected.csv (timestamps masked)
#  5. the schemas.enable=false topic gives the same rows; the three group consumers' rows, together, are
#     the single consumer's rows (as a multiset)
#  6. load the CSV with \copy into a scratch database made by sql/holding_pivot.sql and run sql/questions.sql
#
# Needs the built binary (npm run build). The stack is always stopped at the end; everything this run
# wrote stays in ${HP_E2E_DIR:-.stack/e2e}, the stack's logs in ${HP_STACK_DIR:-.stack}/logs.
# Last line: "e2e: N passed, M failed" (", K skipped" when a step could not run).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STACK_DIR=${HP_STACK_DIR:-$HP_REPO/.stack}
E2E=${HP_E2E_DIR:-$STACK_DIR/e2e}
PIVOT=(node "$HP_REPO/bin/holding-pivot.js")
MASK=(node "$HP_REPO/stack/csv-mask.mjs" --columns 10)
EXPECTED=$HP_REPO/stack/e2e-expected.csv
GROUP=holding-pivot-e2e-$$
ROWS_SNAPSHOT=$(grep -c '' "$EXPECTED")   # rows with --snapshot
ROWS_CHANGES=$(grep -vc ',r$' "$EXPECTED") # rows without

passed=0 failed=0 skipped=0
timings=()
group_kcat_pids=() group_pivot_pids=()
t_start=$SECONDS

say() { printf '[e2e %(%H:%M:%S)T] %s\n' -1 "$*"; }
pass() { passed=$((passed + 1)); say "ok    $1"; }
fail() { failed=$((failed + 1)); say "FAIL  $1"; shift; local l; for l; do say "      $l"; done; }
skip() { skipped=$((skipped + 1)); say "SKIP  $1"; shift; local l; for l; do say "      $l"; done; }

phase_name='' phase_t0=0
phase() { # phase <name>: close the running phase (timing), open the next
  if [[ -n $phase_name ]]; then timings+=("$(printf '%-34s %4ds' "$phase_name" $((SECONDS - phase_t0)))"); fi
  phase_name=$1 phase_t0=$SECONDS
  [[ -n $1 ]] && say "== $1"
}

# fatal <what>: a step the rest depends on failed; count it and stop (the EXIT trap tears down)
fatal() { fail "$1" "see $E2E and $STACK_DIR/logs"; exit 1; }

# same <name> <file-a> <file-b>: the two (normalised) files are identical
same() {
  if diff -u "$2" "$3" >"$E2E/diff.$4" 2>&1; then pass "$1"; rm -f "$E2E/diff.$4"
  else fail "$1" "diff -u $2 $3 (in $E2E/diff.$4):" "$(head -n 12 "$E2E/diff.$4")"; fi
}

teardown() {
  local rc=$?
  phase teardown
  local p
  for p in "${group_kcat_pids[@]}"; do kill "$p" 2>/dev/null; done
  bash "$HP_REPO/stack/stack.sh" stop >"$E2E/stack-stop.log" 2>&1
  phase ''
  say "timings:"
  for p in "${timings[@]}"; do say "  $p"; done
  say "  $(printf '%-34s %4ds' total $((SECONDS - t_start)))"
  if ((failed > 0)); then
    say "kept: $E2E (kcat output, holding-pivot output and stderr), $STACK_DIR/logs (stack)"
    bash "$HP_REPO/stack/stack.sh" logs 15 2>&1 | sed 's/^/  | /'
  fi
  ((failed == 0 && rc != 0)) && failed=1 # died outside a check
  local line="e2e: $passed passed, $failed failed"
  ((skipped > 0)) && line+=", $skipped skipped"
  echo "$line"
  ((failed == 0)) || exit 1
  exit 0
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$E2E"
mkdir -p "$E2E"

# ------------------------------------------------------------------------------------------------
phase "holding-pivot binary"
if "${PIVOT[@]}" --version >"$E2E/version.txt" 2>&1; then
  pass "node bin/holding-pivot.js --version: $(head -n 1 "$E2E/version.txt")"
else
  fatal "node bin/holding-pivot.js does not run (npm install && npm run build?): $(head -n 3 "$E2E/version.txt")"
fi
"${MASK[@]}" --mask 6,7,8,9 "$EXPECTED" >"$E2E/expected.snapshot" || fatal "stack/e2e-expected.csv is not valid CSV"
grep -v ',"r"\]$' "$E2E/expected.snapshot" >"$E2E/expected.changes"

# ------------------------------------------------------------------------------------------------
phase "stack deps + start"
stack deps >"$E2E/stack-deps.log" 2>&1 || fatal "stack/stack.sh deps ($(tail -n 1 "$E2E/stack-deps.log"))"
stack start >"$E2E/stack-start.log" 2>&1 || fatal "stack/stack.sh start ($(tail -n 1 "$E2E/stack-start.log"))"
pass "stack up: $(tail -n 1 "$E2E/stack-start.log" | sed 's/^\[[^]]*\] //')"

# ------------------------------------------------------------------------------------------------
phase "register connectors + snapshot"
{
  stack register "$HP_CONNECTOR_JSON" &&
    stack register "$HP_CONNECTOR_JSON" "${HP_SCHEMALESS[@]}" &&
    stack register "$HP_CONNECTOR_JSON" "${HP_3P[@]}"
} >"$E2E/register.log" 2>&1 || fatal "register connectors ($(tail -n 1 "$E2E/register.log"))"
hp_wait_snapshots "$HP_TOPIC" "$HP_TOPIC_SCHEMALESS" "$HP_TOPIC_3P" >>"$E2E/register.log" 2>&1 ||
  fatal "snapshot row on every topic ($(tail -n 1 "$E2E/register.log"))"
pass "3 connectors RUNNING, snapshot row on $HP_TOPIC, $HP_TOPIC_SCHEMALESS, $HP_TOPIC_3P"
partitions=$(kcat -b "$HP_BOOTSTRAP" -L -t "$HP_TOPIC_3P" 2>&1 | grep -c 'partition [0-9]')
if [[ $partitions == 3 ]]; then pass "$HP_TOPIC_3P has 3 partitions (topic.creation.default.partitions)"
else fatal "$HP_TOPIC_3P has $partitions partitions, expected 3"; fi

# ------------------------------------------------------------------------------------------------
phase "3 group consumers join"
# Started together, they join the group's first generation (the broker waits
# group.initial.rebalance.delay.ms for members), so each reads its partition from the start exactly once.
for i in 1 2 3; do
  (
    kcat -b "$HP_BOOTSTRAP" -G "$GROUP" -o beginning -u "$HP_TOPIC_3P" 2>"$E2E/group-$i.kcat.err" &
    echo $! >"$E2E/group-$i.kcat.pid"
    wait
  ) | tee "$E2E/group-$i.kcat.out" | "${PIVOT[@]}" --snapshot >"$E2E/group-$i.csv" 2>"$E2E/group-$i.pivot.err" &
  group_pivot_pids+=($!)
done
for i in 1 2 3; do
  until [[ -s $E2E/group-$i.kcat.pid ]]; do sleep 0.1; done
  group_kcat_pids+=("$(cat "$E2E/group-$i.kcat.pid")")
done
t0=$SECONDS
until (($(cat "$E2E"/group-*.kcat.err | grep -c 'rebalanced.*assigned') >= 3)); do
  ((SECONDS - t0 < 60)) || fatal "group consumers: no assignment after 60s ($(cat "$E2E"/group-*.kcat.err | tail -n 3))"
  sleep 0.2
done
sleep 1 # a second rebalance would show up here
assigned=$(for i in 1 2 3; do grep -o 'assigned: .*' "$E2E/group-$i.kcat.err" | grep -o '\[[0-9]*\]' | tr -d '\n'; echo; done | sort | tr -d '\n')
rebalances=$(cat "$E2E"/group-*.kcat.err | grep -c 'rebalanced')
if [[ $assigned == '[0][1][2]' && $rebalances == 3 ]]; then
  pass "3 kcat -G consumers, one partition each, first generation ($assigned)"
else
  fail "3 kcat -G consumers, one partition each" "$(grep -h rebalanced "$E2E"/group-*.kcat.err)"
fi

# ------------------------------------------------------------------------------------------------
phase "walkthrough + stress DML"
hp_run_dml >"$E2E/dml.log" 2>&1 || fatal "db/walkthrough.sql + db/stress.sql ($(tail -n 2 "$E2E/dml.log"))"
hp_wait_all "$HP_TOPIC" "$HP_TOPIC_SCHEMALESS" "$HP_TOPIC_3P" >>"$E2E/dml.log" 2>&1 ||
  fatal "all messages on every topic ($(tail -n 1 "$E2E/dml.log"))"
pass "$HP_MSGS_TOTAL messages ($HP_TOMBSTONES tombstones) on each topic"

# ------------------------------------------------------------------------------------------------
phase "kcat | holding-pivot, 3 formats"
# consume <name> <topic> <kcat options> -- <holding-pivot options>: kcat piped into holding-pivot
consume() {
  local name=$1 topic=$2
  shift 2
  local kc=() hp=()
  while (($#)) && [[ $1 != -- ]]; do kc+=("$1"); shift; done
  shift
  hp=("$@")
  kcat -b "$HP_BOOTSTRAP" -C -e -q -t "$topic" "${kc[@]}" 2>"$E2E/$name.kcat.err" |
    tee "$E2E/$name.kcat.out" |
    "${PIVOT[@]}" "${hp[@]}" >"$E2E/$name.csv" 2>"$E2E/$name.pivot.err"
  local st=("${PIPESTATUS[@]}") lines rows
  lines=$(grep -c '' "$E2E/$name.kcat.out")
  rows=$(grep -c '' "$E2E/$name.csv")
  if [[ ${st[0]} == 0 && ${st[2]} == 0 && $lines == "$HP_MSGS_TOTAL" ]]; then
    pass "kcat ${kc[*]} | holding-pivot ${hp[*]}: exit 0, $lines lines in, $rows rows out"
  else
    fail "kcat ${kc[*]} | holding-pivot ${hp[*]}: kcat exit ${st[0]}, holding-pivot exit ${st[2]}, $lines lines in" \
      "$(head -n 5 "$E2E/$name.pivot.err")"
  fi
}
consume plain-snapshot "$HP_TOPIC" -u -- --snapshot
consume plain "$HP_TOPIC" -u --
consume Z-snapshot "$HP_TOPIC" -Z -- --snapshot
consume Z "$HP_TOPIC" -Z --
consume J-snapshot "$HP_TOPIC" -J -- --snapshot
consume J "$HP_TOPIC" -J --

for v in plain Z J; do
  for s in -snapshot ''; do
    "${MASK[@]}" --mask 9 "$E2E/$v$s.csv" >"$E2E/$v$s.m9" 2>>"$E2E/mask.err" || : >"$E2E/$v$s.m9"
    "${MASK[@]}" --mask 6,7,8,9 "$E2E/$v$s.csv" >"$E2E/$v$s.m6789" 2>>"$E2E/mask.err" || : >"$E2E/$v$s.m6789"
  done
done
same "--snapshot: rows as stack/e2e-expected.csv ($ROWS_SNAPSHOT rows; timestamps masked)" \
  "$E2E/expected.snapshot" "$E2E/plain-snapshot.m6789" expected-snapshot
same "no --snapshot: the expected rows without the r ones ($ROWS_CHANGES rows)" \
  "$E2E/expected.changes" "$E2E/plain.m6789" expected-changes
same "kcat -Z gives the rows of plain kcat (datetime_inserted aside)" "$E2E/plain-snapshot.m9" "$E2E/Z-snapshot.m9" Z
same "kcat -J gives the rows of plain kcat (datetime_inserted aside)" "$E2E/plain-snapshot.m9" "$E2E/J-snapshot.m9" J
grep -v ',"r"\]$' "$E2E/plain-snapshot.m9" >"$E2E/plain-snapshot-without-r.m9"
if cmp -s "$E2E/plain.m9" "$E2E/plain-snapshot-without-r.m9" && cmp -s "$E2E/plain.m9" "$E2E/Z.m9" &&
  cmp -s "$E2E/plain.m9" "$E2E/J.m9"; then
  pass "without --snapshot: the same rows minus the r rows, in all 3 formats"
else
  fail "without --snapshot: the same rows minus the r rows, in all 3 formats" \
    "compare $E2E/{plain,Z,J}.m9 and plain-snapshot-without-r.m9"
fi

# ------------------------------------------------------------------------------------------------
phase "schemas.enable=false topic"
consume schemaless-snapshot "$HP_TOPIC_SCHEMALESS" -u -- --snapshot
"${MASK[@]}" --mask 7,8,9 "$E2E/schemaless-snapshot.csv" >"$E2E/schemaless-snapshot.m789" 2>>"$E2E/mask.err"
"${MASK[@]}" --mask 7,8,9 "$E2E/plain-snapshot.csv" >"$E2E/plain-snapshot.m789" 2>>"$E2E/mask.err"
# its own connector: datetime_inserted differs, and datetime_updated / _deleted would with --event-time processed
same "schemas.enable=false: the same rows (ts_ms-based columns masked)" \
  "$E2E/plain-snapshot.m789" "$E2E/schemaless-snapshot.m789" schemaless

# ------------------------------------------------------------------------------------------------
phase "scale-out: 3 group consumers"
consume single-3p "$HP_TOPIC_3P" -u -- --snapshot
t0=$SECONDS
while (($(cat "$E2E"/group-*.kcat.out | grep -c '') < HP_MSGS_TOTAL)); do
  ((SECONDS - t0 < 60)) || break
  sleep 0.2
done
kill -TERM "${group_kcat_pids[@]}" 2>/dev/null # they commit their offsets as they leave
pivot_ok=1
for p in "${group_pivot_pids[@]}"; do wait "$p" || pivot_ok=0; done
group_kcat_pids=()
got=$(cat "$E2E"/group-*.kcat.out | grep -c '') # counted after they ended: no message read twice
per_consumer=$(for i in 1 2 3; do printf '%s ' "$(grep -c '' "$E2E/group-$i.kcat.out")"; done)
if [[ $got == "$HP_MSGS_TOTAL" && $pivot_ok == 1 ]]; then
  pass "3 consumers got $got messages together (${per_consumer% }), their holding-pivots exited 0"
else
  fail "3 consumers: $got of $HP_MSGS_TOTAL messages (${per_consumer% }), holding-pivot exits ok: $pivot_ok" \
    "$(cat "$E2E"/group-*.pivot.err | head -n 5)"
fi
cat "$E2E"/group-{1,2,3}.csv >"$E2E/group-union.csv"
"${MASK[@]}" --mask 9 "$E2E/group-union.csv" 2>>"$E2E/mask.err" | sort >"$E2E/group-union.sorted"
"${MASK[@]}" --mask 9 "$E2E/single-3p.csv" 2>>"$E2E/mask.err" | sort >"$E2E/single-3p.sorted"
sort "$E2E/expected.snapshot" >"$E2E/expected.sorted"
"${MASK[@]}" --mask 6,7,8,9 "$E2E/single-3p.csv" 2>>"$E2E/mask.err" | sort >"$E2E/single-3p.m6789.sorted"
same "union of the 3 consumers' rows = the single consumer's rows (multiset)" \
  "$E2E/single-3p.sorted" "$E2E/group-union.sorted" union
same "single consumer of the 3-partition topic: the expected rows (multiset)" \
  "$E2E/expected.sorted" "$E2E/single-3p.m6789.sorted" single-3p
busy=0
for i in 1 2 3; do [[ -s $E2E/group-$i.csv ]] && busy=$((busy + 1)); done
if ((busy >= 2)); then pass "the rows were spread: $busy of 3 consumers wrote rows"
else fail "the rows were spread over the consumers" "only $busy consumer wrote rows"; fi

# ------------------------------------------------------------------------------------------------
phase "psql \\copy + sql/questions.sql"
DDL=$HP_REPO/sql/holding_pivot.sql
QUESTIONS=$HP_REPO/sql/questions.sql
if [[ -f $DDL && -f $QUESTIONS ]]; then
  db=holding_pivot_e2e
  if stack createdb "$db" >"$E2E/sql.log" 2>&1 &&
    HP_PG_DB=$db stack psql -q -f "$DDL" >>"$E2E/sql.log" 2>&1 &&
    HP_PG_DB=$db stack psql -q -c "\\copy holding_pivot from '$E2E/plain-snapshot.csv' csv" >>"$E2E/sql.log" 2>&1; then
    loaded=$(HP_PG_DB=$db stack psql -Atc 'SELECT count(*) FROM holding_pivot' 2>>"$E2E/sql.log")
    nulls=$(HP_PG_DB=$db stack psql -Atc "SELECT count(*) FILTER (WHERE new_value IS NULL) || ' ' || count(*) FILTER (WHERE new_value = '') FROM holding_pivot" 2>>"$E2E/sql.log")
    if [[ $loaded == "$ROWS_SNAPSHOT" ]]; then pass "\\copy holding_pivot from the CSV: $loaded rows"
    else fail "\\copy holding_pivot: $loaded rows loaded, expected $ROWS_SNAPSHOT"; fi
    # NULL: the 6 delete rows + the stock set to NULL; "": the empty stock of 1005/1006 (c, u, c)
    if [[ $nulls == '7 3' ]]; then pass "NULL and \"\" survive the load apart (new_value: 7 NULL, 3 empty)"
    else fail "NULL and \"\" survive the load apart" "new_value NULL / empty: $nulls, expected 7 3"; fi
    # user 3 (holdings 1002, 1003): stock SP500 -> deleted, VTSAX -> VTI; quantity 1 -> deleted, 100 -> 10.
    # Sold in the period (today, give or take a day): SP500 twice (deletes of 1001, 1002), once each
    # VTSAX (update to VTI), A,"B (update to NULL) and '' (delete of 1005 by the key change).
    from=$(date -u -d '1 day ago' +%F) to=$(date -u -d '1 day' +%F)
    if HP_PG_DB=$db stack psql -At -v user_id=3 -v from="$from" -v to="$to" -f "$QUESTIONS" \
      >"$E2E/questions.out" 2>&1; then
      answers=$(grep -v '^\[' "$E2E/questions.out" | tr '\n' ' ')
      if [[ $answers == '2 2 SP500|2 ' ]]; then
        pass "sql/questions.sql (user 3, $from..$to): stock type changes 2, quantity changes 2, most sold SP500 (2)"
      else
        fail "sql/questions.sql (user 3, $from..$to): answers '$answers', expected '2 2 SP500|2 '" \
          "$(cat "$E2E/questions.out")"
      fi
    else
      fail "sql/questions.sql" "$(tail -n 5 "$E2E/questions.out")"
    fi
  else
    fail "scratch database + sql/holding_pivot.sql + \\copy" "$(tail -n 5 "$E2E/sql.log")"
  fi
else
  fail "psql \\copy + sql/questions.sql: sql/holding_pivot.sql or sql/questions.sql is missing"
fi
