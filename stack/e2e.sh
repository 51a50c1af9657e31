#!/usr/bin/env bash
# End-to-end test on the real pipeline (stack/stack.sh): PostgreSQL -> Debezium -> Kafka -> kcat ->
# holding-pivot (and holding-pivot-sync) -> PostgreSQL. This script runs things and keeps what they
# produce in ${HP_E2E_DIR:-.stack/e2e}; the vitest tests in test/e2e/ judge those outputs, so a
# failure shows a real diff. It:
#
#  1. starts the stack (Kafka Connect with offset.flush.interval.ms so high that a killed worker
#     re-sends what it sent) and registers three connectors on bank.holding: the tutorial's, a
#     schemas.enable=false twin, and a twin whose topic has 3 partitions
#  2. starts three `kcat -G` consumers (one group) on the 3-partition topic, each into holding-pivot
#  3. runs db/walkthrough.sql and db/stress.sql (the tutorial's first row is already there: snapshot "r")
#  4. consumes the tutorial's topic with kcat -C -u, -Z and -J, each piped into holding-pivot with and
#     without --snapshot; the schemas.enable=false topic; the 3-partition topic with one consumer
#  5. loads the CSV with \copy into a database made by sql/holding_pivot.sql, asks sql/questions.sql
#  5b. many tables: runs db/trade.sql on bank.trade; reads bank.holding's and bank.trade's topics in
#     one kcat -G run into holding-pivot --config stack/e2e-tables.json, loads the CSV twice into
#     sql/audit_trail.sql and asks stack/e2e-tables.sql; pivots the topics of a connector with
#     ExtractNewRecordState the same way (two more connectors, registered in step 1)
#  6. runs the fault-injection test of holding-pivot-sync (test/e2e/fault-run.ts)
#  7. stops the stack, then runs `vitest run test/e2e` on the outputs (test/e2e/pipeline.test.ts,
#     test/e2e/faults.test.ts, test/e2e/tables.test.ts) and exits with its status
#
# Needs the built binaries (npm run build). The stack is always stopped; its logs stay in
# ${HP_STACK_DIR:-.stack}/logs. A step that fails leaves its outputs missing, and the tests say which.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STACK_DIR=${HP_STACK_DIR:-$HP_REPO/.stack}
E2E=${HP_E2E_DIR:-$STACK_DIR/e2e}
export HP_E2E_DIR=$E2E
export HP_CONNECT_OFFSET_FLUSH_MS=${HP_CONNECT_OFFSET_FLUSH_MS:-600000}
PIVOT=(node "$HP_REPO/bin/holding-pivot.js")
GROUP=holding-pivot-e2e-$$

timings=()
group_kcat_pids=()
t_start=$SECONDS

say() { printf '[e2e %(%H:%M:%S)T] %s\n' -1 "$*"; }

phase_name='' phase_t0=0
phase() { # phase <name>: close the running phase (timing), open the next
  if [[ -n $phase_name ]]; then timings+=("$(printf '%-34s %4ds' "$phase_name" $((SECONDS - phase_t0)))"); fi
  phase_name=$1 phase_t0=$SECONDS
  [[ -n $1 ]] && say "== $1"
}

# broken <what>: a step the later ones need failed; the tests will name the outputs it did not write
broken() { say "STOPPED: $1 (see $E2E and $STACK_DIR/logs)"; return 1; }

stack_stopped=0
stop_stack() {
  ((stack_stopped)) && return
  stack_stopped=1
  local p
  for p in "${group_kcat_pids[@]}"; do kill "$p" 2>/dev/null; done
  bash "$HP_REPO/stack/stack.sh" stop >"$E2E/stack-stop.log" 2>&1
}
trap stop_stack EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# consume <name> <topic> <kcat options> -- <holding-pivot options>: kcat piped into holding-pivot;
# keeps what kcat printed, the CSV, holding-pivot's stderr, and both exit statuses
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
  local st=("${PIPESTATUS[@]}")
  echo "${st[0]} ${st[2]}" >"$E2E/$name.status"
}

# group <name> <topic regex> -- <holding-pivot options>: every topic the regex matches, in one kcat run
group() {
  local name=$1 topics=$2
  shift 3
  kcat -b "$HP_BOOTSTRAP" -G "hp-$name-$$" -o beginning -e -J "$topics" 2>"$E2E/$name.kcat.err" |
    tee "$E2E/$name.kcat.out" |
    "${PIVOT[@]}" "$@" >"$E2E/$name.csv" 2>"$E2E/$name.pivot.err"
  local st=("${PIPESTATUS[@]}")
  echo "${st[0]} ${st[2]}" >"$E2E/$name.status"
}

# many tables: bank.trade's changes (db/trade.sql), both tables' topics in one kcat run pivoted with
# one configuration (stack/e2e-tables.json), loaded twice into sql/audit_trail.sql; the flattened twin
tables() {
  phase "many tables: db/trade.sql"
  {
    stack psql -q -f "$HP_REPO/db/trade.sql" &&
      stack wait-topic bankserver_tables.bank.holding "$HP_MSGS_TOTAL" &&
      stack wait-topic bankserver_tables.bank.trade "$HP_MSGS_TRADE" &&
      stack wait-topic bankserver_flat.bank.holding $((HP_MSGS_TOTAL - HP_TOMBSTONES)) &&
      stack wait-topic bankserver_flat.bank.trade $((HP_MSGS_TRADE - 1))
  } >"$E2E/trade-dml.log" 2>&1 || broken "db/trade.sql, all messages on the topics of many tables" || return

  phase "many tables: kcat -G | holding-pivot --config"
  local config=$HP_REPO/stack/e2e-tables.json
  group tables "$HP_TABLES_TOPICS" -- --config "$config" --snapshot --changed-only \
    --with event_id,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset
  group flat "$HP_FLAT_TOPICS" -- --config "$config" --snapshot --with event_id

  phase "many tables: sql/audit_trail.sql, loaded twice"
  local db=audit_trail_e2e
  {
    stack createdb "$db" &&
      HP_PG_DB=$db stack psql -q -f "$HP_REPO/sql/audit_trail.sql" &&
      HP_PG_DB=$db stack psql -v table=audit_trail -f "$HP_REPO/sql/audit_load.sql" <"$E2E/tables.csv" &&
      HP_PG_DB=$db stack psql -v table=audit_trail -f "$HP_REPO/sql/audit_load.sql" <"$E2E/tables.csv"
  } >"$E2E/tables-load.log" 2>&1 || broken "sql/audit_trail.sql + two loads" || return
  # bank.trade's rows, times as whether they are there: NULL printed as <null>
  HP_PG_DB=$db stack psql -At -P null='<null>' -c "SELECT row_key, user_key, change_field, old_value, new_value,
      datetime_created, datetime_updated IS NOT NULL, datetime_deleted IS NOT NULL, op
      FROM audit_trail WHERE source_table = 'bank.trade' ORDER BY lsn, change_field" >"$E2E/trade-rows.txt" 2>>"$E2E/tables-load.log"
  HP_PG_DB=$db stack psql -At -f "$HP_REPO/stack/e2e-tables.sql" >"$E2E/tables-questions.out" 2>>"$E2E/tables-load.log"
}

produce() {
  phase "holding-pivot binary"
  "${PIVOT[@]}" --version >"$E2E/version.txt" 2>&1 || broken "node bin/holding-pivot.js does not run (npm run build?)" || return

  phase "stack deps + start"
  stack deps >"$E2E/stack-deps.log" 2>&1 || broken "stack/stack.sh deps" || return
  stack start >"$E2E/stack-start.log" 2>&1 || broken "stack/stack.sh start" || return
  say "$(tail -n 1 "$E2E/stack-start.log" | sed 's/^\[[^]]*\] //')"

  phase "register connectors + snapshot"
  {
    stack register "$HP_CONNECTOR_JSON" &&
      stack register "$HP_CONNECTOR_JSON" "${HP_SCHEMALESS[@]}" &&
      stack register "$HP_CONNECTOR_JSON" "${HP_3P[@]}" &&
      stack register "$HP_CONNECTOR_JSON" "${HP_TABLES[@]}" &&
      stack register "$HP_CONNECTOR_JSON" "${HP_FLAT[@]}" &&
      hp_wait_snapshots "$HP_TOPIC" "$HP_TOPIC_SCHEMALESS" "$HP_TOPIC_3P" bankserver_tables.bank.holding bankserver_flat.bank.holding
  } >"$E2E/register.log" 2>&1 || broken "connectors and their snapshot rows" || return
  kcat -b "$HP_BOOTSTRAP" -L -t "$HP_TOPIC_3P" 2>&1 | grep -c 'partition [0-9]' >"$E2E/partitions-3p.txt"

  phase "3 group consumers join"
  # Started together, they join the group's first generation (the broker waits
  # group.initial.rebalance.delay.ms for members), so each reads its partition from the start exactly once.
  local i t0
  for i in 1 2 3; do
    (
      kcat -b "$HP_BOOTSTRAP" -G "$GROUP" -o beginning -u "$HP_TOPIC_3P" 2>"$E2E/group-$i.kcat.err" &
      echo $! >"$E2E/group-$i.kcat.pid"
      wait
    ) | tee "$E2E/group-$i.kcat.out" | { "${PIVOT[@]}" --snapshot >"$E2E/group-$i.csv" 2>"$E2E/group-$i.pivot.err"; echo $? >"$E2E/group-$i.status"; } &
  done
  for i in 1 2 3; do
    until [[ -s $E2E/group-$i.kcat.pid ]]; do sleep 0.1; done
    group_kcat_pids+=("$(cat "$E2E/group-$i.kcat.pid")")
  done
  t0=$SECONDS
  until (($(cat "$E2E"/group-*.kcat.err | grep -c 'rebalanced.*assigned') >= 3)); do
    ((SECONDS - t0 < 60)) || broken "group consumers: no assignment after 60s" || return
    sleep 0.2
  done
  sleep 1 # a second rebalance would show up here
  for i in 1 2 3; do cp "$E2E/group-$i.kcat.err" "$E2E/group-$i.joined.err"; done # before they leave

  phase "walkthrough + stress DML"
  { hp_run_dml && hp_wait_all "$HP_TOPIC" "$HP_TOPIC_SCHEMALESS" "$HP_TOPIC_3P"; } >"$E2E/dml.log" 2>&1 ||
    broken "db/walkthrough.sql + db/stress.sql, all messages on every topic" || return
  local t
  for t in "$HP_TOPIC" "$HP_TOPIC_SCHEMALESS" "$HP_TOPIC_3P"; do echo "$t $(stack topic-count "$t")"; done >"$E2E/topic-counts.txt"

  phase "kcat | holding-pivot, 3 formats"
  consume plain-snapshot "$HP_TOPIC" -u -- --snapshot
  consume plain "$HP_TOPIC" -u --
  consume Z-snapshot "$HP_TOPIC" -Z -- --snapshot
  consume Z "$HP_TOPIC" -Z --
  consume J-snapshot "$HP_TOPIC" -J -- --snapshot
  consume J "$HP_TOPIC" -J --
  consume schemaless-snapshot "$HP_TOPIC_SCHEMALESS" -u -- --snapshot

  phase "scale-out: 3 group consumers"
  consume single-3p "$HP_TOPIC_3P" -u -- --snapshot
  t0=$SECONDS
  while (($(cat "$E2E"/group-*.kcat.out | grep -c '') < HP_MSGS_TOTAL)) && ((SECONDS - t0 < 60)); do sleep 0.2; done
  kill -TERM "${group_kcat_pids[@]}" 2>/dev/null # they commit their offsets as they leave
  group_kcat_pids=()
  wait # the holding-pivots; each wrote its status

  phase "psql \\copy + sql/questions.sql"
  local db=holding_pivot_e2e
  {
    stack createdb "$db" &&
      HP_PG_DB=$db stack psql -q -f "$HP_REPO/sql/holding_pivot.sql" &&
      HP_PG_DB=$db stack psql -q -c "\\copy holding_pivot from '$E2E/plain-snapshot.csv' csv"
  } >"$E2E/sql.log" 2>&1 || broken "scratch database + sql/holding_pivot.sql + \\copy" || return
  HP_PG_DB=$db stack psql -Atc 'SELECT count(*) FROM holding_pivot' >"$E2E/loaded.txt" 2>>"$E2E/sql.log"
  HP_PG_DB=$db stack psql -Atc "SELECT count(*) FILTER (WHERE new_value IS NULL) || ' ' || count(*) FILTER (WHERE new_value = '') FROM holding_pivot" \
    >"$E2E/nulls.txt" 2>>"$E2E/sql.log"
  # the period: today, give or take a day
  local from to
  from=$(date -u -d '1 day ago' +%F) to=$(date -u -d '1 day' +%F)
  HP_PG_DB=$db stack psql -At -v user_id=3 -v from="$from" -v to="$to" -f "$HP_REPO/sql/questions.sql" >"$E2E/questions.out" 2>>"$E2E/sql.log"

  tables || return

  phase "holding-pivot-sync through faults"
  (cd "$HP_REPO" && npx tsx test/e2e/fault-run.ts) >"$E2E/faults.log" 2>&1 || broken "the fault run (test/e2e/fault-run.ts)" || return
  grep -E 'SIGKILL|topic:|drain' "$E2E/faults.log" | sed 's/^/  /'
}

rm -rf "$E2E"
mkdir -p "$E2E"
produce
produced=$?
phase "stop the stack"
stop_stack
if ((produced != 0)); then bash "$HP_REPO/stack/stack.sh" logs 15 2>&1 | sed 's/^/  | /'; fi

phase "vitest test/e2e (judges the outputs)"
(cd "$HP_REPO" && npx vitest run test/e2e)
status=$?
phase ''
say "timings:"
for p in "${timings[@]}"; do say "  $p"; done
say "  $(printf '%-34s %4ds' total $((SECONDS - t_start)))"
say "outputs: $E2E"
exit $status
