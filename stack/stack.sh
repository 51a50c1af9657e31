#!/usr/bin/env bash
# The tutorial's real pipeline on this machine, without Docker:
#   PostgreSQL (Debian, wal_level=logical, throwaway cluster)
#   -> Debezium PostgreSQL connector (pgoutput) in Kafka Connect, distributed mode
#   -> Apache Kafka, single node, KRaft
#   -> kcat
# Jars come from Maven Central (stack/pom.xml), everything else from Debian packages.
#
# usage: stack/stack.sh deps | start | register <connector.json> [key=value ...] | status | psql [args]
#                       | createdb <name> | topic-count <topic> | wait-topic <topic> <count> [secs]
#                       | start-connect | stop | logs [n] | clean
#   deps      install kcat, jq, PostgreSQL, Java, Maven (apt) if missing; fetch the jars (quick when done)
#   start     fresh PG cluster (+ db/init/*.sql), broker, Connect; each waited for by asking it
#   register  POST the connector; wait until the connector and its tasks are RUNNING.  key=value pairs
#             override the file: name=… renames the connector, anything else is set in "config".
#   status    processes and connectors
#   psql      psql as data_engineer on the stack's database (e.g. -f db/walkthrough.sql);
#             HP_PG_DB=<name> for another database
#   createdb <name>                      a fresh scratch database owned by data_engineer
#   topic-count <topic>                  messages on the topic (tombstones included)
#   wait-topic <topic> <count> [secs]    wait until the topic holds exactly count messages
#   start-connect   start Connect again after it died (a fault test kills it); connectors resume
#   stop      Connect, broker, replication slots + publications, PG; safe after a partial start
#   logs      where the logs are, and their last n lines (default 40)
#   clean     stop, then remove the work dir except the jars
#
# Work dir: ${HP_STACK_DIR:-<repo>/.stack}.  Ports (loopback only): PostgreSQL 54329, Kafka 19092
# (controller 19093), Connect REST 8083; override with HP_PG_PORT, HP_KAFKA_PORT, HP_CONTROLLER_PORT,
# HP_CONNECT_PORT.  HP_CONNECT_OFFSET_FLUSH_MS: the worker's offset.flush.interval.ms (default 1000).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${HP_STACK_DIR:-$REPO/.stack}
PG_PORT=${HP_PG_PORT:-54329}
KAFKA_PORT=${HP_KAFKA_PORT:-19092}
CONTROLLER_PORT=${HP_CONTROLLER_PORT:-19093}
CONNECT_PORT=${HP_CONNECT_PORT:-8083}
CONNECT_URL=http://127.0.0.1:$CONNECT_PORT
OFFSET_FLUSH_MS=${HP_CONNECT_OFFSET_FLUSH_MS:-1000}
BOOTSTRAP=127.0.0.1:$KAFKA_PORT
PG_SUPERPASS=postgres                   # throwaway cluster on loopback
START_TIMEOUT=${HP_START_TIMEOUT:-180}  # seconds, per component

LIBS=$STACK_DIR/libs
CONF=$STACK_DIR/conf
DATA=$STACK_DIR/data
LOGS=$STACK_DIR/logs
RUN=$STACK_DIR/run

log() { printf '[stack %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pg_bin() {
  if [[ -n ${HP_PG_BIN:-} ]]; then echo "$HP_PG_BIN"; return; fi
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then echo /usr/lib/postgresql/15/bin; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  echo "${d:-/usr/lib/postgresql/15/bin}"
}
PG_BIN=$(pg_bin)

# initdb/pg_ctl refuse to run as root: run them as the postgres user then.
as_pg() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The PG cluster lives in $STACK_DIR/pg if the postgres user can write there, else under /tmp.
pg_dir() {
  if [[ -f $RUN/pg_dir ]]; then cat "$RUN/pg_dir"; return; fi
  echo "$STACK_DIR/pg"
}

own_pg() { if [[ $EUID -eq 0 ]]; then chown postgres: "$@"; fi; }

pid_alive() { [[ -f $RUN/$1.pid ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

super_psql() { PGPASSWORD=$PG_SUPERPASS psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }

# ---------------------------------------------------------------------------------------------- deps
cmd_deps() {
  local pkgs=()
  command -v kcat >/dev/null || pkgs+=(kcat)
  command -v jq >/dev/null || pkgs+=(jq)
  command -v curl >/dev/null || pkgs+=(curl)
  command -v psql >/dev/null || pkgs+=(postgresql-client)
  [[ -x $PG_BIN/initdb ]] || pkgs+=(postgresql)
  command -v mvn >/dev/null || pkgs+=(maven)
  if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then pkgs+=(openjdk-17-jre-headless); fi
  if ((${#pkgs[@]})); then
    [[ $EUID -eq 0 ]] || die "missing packages (${pkgs[*]}); install them as root"
    log "apt-get install ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
    PG_BIN=$(pg_bin)
  fi
  # after installing the postgresql package Debian starts its own cluster on 5432: it is left alone

  local stamp want
  want=$(sha256sum "$REPO/stack/pom.xml" | cut -c1-64)
  stamp=$LIBS/.pom.sha256
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    log "jars up to date in $LIBS"
    return
  fi
  log "fetching jars with Maven into $LIBS"
  rm -rf "$LIBS.tmp"
  mkdir -p "$LIBS.tmp"
  local mvnlog=$STACK_DIR/deps-mvn.log
  mvn_q() { mvn -q -B -Dstyle.color=never -f "$REPO/stack/pom.xml" "$@" >>"$mvnlog" 2>&1 || {
    grep -v '^\s*$' "$mvnlog" | sed 's/\x1b\[[0-9;]*m//g' | tail -n 20 >&2
    die "mvn $* failed (log: $mvnlog)"
  }; }
  : >"$mvnlog"
  mvn_q -Pbroker dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp/broker"
  mvn_q -Pconnect dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp/connect"
  mvn_q -Pdebezium dependency:unpack-dependencies -DincludeTypes=tar.gz \
    -DmarkersDirectory="$LIBS.tmp/markers" -DoutputDirectory="$LIBS.tmp/plugins"
  ls "$LIBS.tmp"/plugins/debezium-connector-postgres/debezium-connector-postgres-*.jar >/dev/null \
    || die "Debezium plugin archive did not unpack to plugins/debezium-connector-postgres"
  echo "$want" >"$LIBS.tmp/.pom.sha256"
  rm -rf "$LIBS"
  mv "$LIBS.tmp" "$LIBS"
  log "jars: broker $(ls "$LIBS/broker" | wc -l), connect $(ls "$LIBS/connect" | wc -l), plugin $(ls "$LIBS/plugins/debezium-connector-postgres"/*.jar | wc -l)"
}

# --------------------------------------------------------------------------------------------- start
render() { # template -> file, substituting the @NAME@ placeholders
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
      -e "s|@CONNECT_PORT@|$CONNECT_PORT|g" -e "s|@OFFSET_FLUSH_MS@|$OFFSET_FLUSH_MS|g" -e "s|@DATA_DIR@|$DATA|g" -e "s|@PLUGIN_DIR@|$LIBS/plugins|g" \
      "$1" >"$2"
}

# wait_for <what> <pidname|-> <command...>: poll the command until it succeeds; fail early if the process died
wait_for() {
  local what=$1 pidname=$2 t0=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    if [[ $pidname != - ]] && ! pid_alive "$pidname"; then
      die "$what: process exited during start-up (see $LOGS)"
    fi
    ((SECONDS - t0 < START_TIMEOUT)) || die "$what: not ready after ${START_TIMEOUT}s (see $LOGS)"
    sleep 0.5
  done
  log "$what ready after $((SECONDS - t0))s"
}

java_bg() { # name logfile java-args... : start a JVM in its own session, record its pid
  local name=$1 out=$2
  shift 2
  setsid java "$@" >"$out" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

broker_ready() { kcat -b "$BOOTSTRAP" -L -m 2 2>/dev/null | grep -q ' 1 brokers:'; }
connect_ready() {
  curl -fsS "$CONNECT_URL/health" >/dev/null &&
    curl -fsS "$CONNECT_URL/connector-plugins" | grep -q 'io.debezium.connector.postgresql.PostgresConnector'
}

start_pg() {
  local dir=$STACK_DIR/pg
  mkdir -p "$dir"
  own_pg "$dir"
  if ! as_pg test -w "$dir"; then # e.g. the checkout is under /root
    rm -rf "$dir"
    dir=$(mktemp -d /tmp/holding-pivot-pg.XXXXXX)
    own_pg "$dir"
  fi
  echo "$dir" >"$RUN/pg_dir"
  printf '%s\n' "$PG_SUPERPASS" >"$dir/pwfile"
  own_pg "$dir/pwfile"
  as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" -A scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 || die "initdb failed (see $LOGS/initdb.log)"
  cat >>"$dir/data/postgresql.conf" <<EOF

# holding-pivot stack
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # the server log sits beside the cluster (the postgres user may not reach $LOGS); linked into $LOGS
  ln -sfn "$dir/postgres.log" "$LOGS/postgres.log"
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start (see $dir/postgres.log)"
  wait_for "PostgreSQL on 127.0.0.1:$PG_PORT" - \
    super_psql -d postgres -Atc "SELECT 1 WHERE current_setting('wal_level') = 'logical'"
  local f
  for f in "$REPO"/db/init/*.sql; do
    super_psql -d postgres -f "$f" >>"$LOGS/init-sql.log" 2>&1 || die "$f failed (see $LOGS/init-sql.log)"
  done
  log "database data_engineer initialised ($(basename -a "$REPO"/db/init/*.sql | tr '\n' ' '))"
}

start_broker() {
  render "$REPO/stack/config/server.properties" "$CONF/server.properties"
  local cp="$LIBS/broker/*" tools=-Dlog4j2.configurationFile=$REPO/stack/config/log4j2-tools.properties
  local cluster_id
  cluster_id=$(java -Xmx128m "$tools" -cp "$cp" kafka.tools.StorageTool random-uuid)
  java -Xmx256m "$tools" -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$CONF/server.properties" >"$LOGS/kafka-format.log" 2>&1 || die "StorageTool format failed (see $LOGS/kafka-format.log)"
  java_bg broker "$LOGS/broker.out" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Dkafka.logs.dir="$LOGS" -Dlog4j2.configurationFile="$REPO/stack/config/log4j2-broker.properties" \
    -cp "$cp" kafka.Kafka "$CONF/server.properties"
  wait_for "Kafka broker on $BOOTSTRAP" broker broker_ready
}

# A Connect that was just SIGKILLed (the fault test does it) can linger for a moment, as a process
# still freeing its memory or a zombie not yet reaped: that one is as good as gone.
connect_gone() {
  pid_alive connect || return 0
  [[ $(ps -o stat= -p "$(cat "$RUN/connect.pid")" 2>/dev/null) == Z* ]]
}

start_connect() {
  local t0=$SECONDS
  until connect_gone; do
    ((SECONDS - t0 < 30)) || die "connect is running (pid $(cat "$RUN/connect.pid"))"
    sleep 0.2
  done
  render "$REPO/stack/config/connect-distributed.properties" "$CONF/connect-distributed.properties"
  # read by ${env:…} in connect/holding-connector.json
  HOLDING_PG_HOST=127.0.0.1 HOLDING_PG_PORT=$PG_PORT \
    java_bg connect "$LOGS/connect.out" -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Dkafka.logs.dir="$LOGS" -Dlog4j2.configurationFile="$REPO/stack/config/log4j2-connect.properties" \
    -cp "$LIBS/connect/*" org.apache.kafka.connect.cli.ConnectDistributed "$CONF/connect-distributed.properties"
  wait_for "Kafka Connect on $CONNECT_URL (PostgresConnector loaded)" connect connect_ready
}

cmd_start() {
  [[ -f $LIBS/.pom.sha256 ]] || die "no jars in $LIBS: run '$0 deps' first"
  command -v kcat >/dev/null || die "kcat missing: run '$0 deps' first"
  local p
  for p in connect broker; do pid_alive $p && die "$p is running (pid $(cat "$RUN/$p.pid")): run '$0 stop' first"; done
  if [[ -f $RUN/pg_dir ]] && as_pg "$PG_BIN/pg_ctl" -D "$(pg_dir)/data" status >/dev/null 2>&1; then
    die "PostgreSQL of a previous start is running: run '$0 stop' first"
  fi
  local t0=$SECONDS
  wipe_state
  mkdir -p "$CONF" "$DATA" "$LOGS" "$RUN"
  start_pg
  start_broker
  start_connect
  log "stack up in $((SECONDS - t0))s: PostgreSQL 127.0.0.1:$PG_PORT, Kafka $BOOTSTRAP, Connect $CONNECT_URL"
}

wipe_state() {
  if [[ -f $RUN/pg_dir ]]; then
    local d
    d=$(cat "$RUN/pg_dir")
    [[ $d == "$STACK_DIR/pg" || $d == /tmp/holding-pivot-pg.* ]] && rm -rf "$d"
  fi
  rm -rf "$CONF" "$DATA" "$LOGS" "$RUN" "$STACK_DIR/pg"
}

# ------------------------------------------------------------------------------------------ register
cmd_register() {
  (($# >= 1)) || die "usage: $0 register <connector.json> [key=value ...]"
  local file=$1
  shift
  [[ -f $file ]] || die "no such file: $file"
  local body kv
  body=$(jq -c . "$file")
  for kv in "$@"; do
    [[ $kv == *=* ]] || die "override '$kv' is not key=value"
    if [[ ${kv%%=*} == name ]]; then
      body=$(jq -c --arg v "${kv#*=}" '.name = $v' <<<"$body")
    else
      body=$(jq -c --arg k "${kv%%=*}" --arg v "${kv#*=}" '.config[$k] = $v' <<<"$body")
    fi
  done
  local name code data
  name=$(jq -r .name <<<"$body")
  # Without overrides the file itself is posted, exactly as stack/README.md does it.
  if (($# == 0)); then data=@$file; else data=$body; fi
  code=$(curl -sS -o "$RUN/register-$name.json" -w '%{http_code}' -X POST \
    -H 'Accept: application/json' -H 'Content-Type: application/json' \
    --data "$data" "$CONNECT_URL/connectors")
  case $code in
    201) log "connector $name created" ;;
    409) log "connector $name already exists" ;;
    *) cat "$RUN/register-$name.json" >&2; echo >&2; die "POST /connectors for $name answered $code" ;;
  esac
  local t0=$SECONDS status
  while :; do
    status=$(curl -sS "$CONNECT_URL/connectors/$name/status" 2>/dev/null || true)
    if jq -e '.connector.state == "RUNNING" and (.tasks | length > 0) and all(.tasks[]; .state == "RUNNING")' \
      <<<"$status" >/dev/null 2>&1; then
      break
    fi
    if jq -e '.connector.state == "FAILED" or any(.tasks[]?; .state == "FAILED")' <<<"$status" >/dev/null 2>&1; then
      jq -r '.connector.trace // empty, (.tasks[]?.trace // empty)' <<<"$status" | head -n 40 >&2
      die "connector $name FAILED"
    fi
    ((SECONDS - t0 < START_TIMEOUT)) || { echo "$status" >&2; die "connector $name not RUNNING after ${START_TIMEOUT}s"; }
    sleep 0.5
  done
  log "connector $name and its task RUNNING after $((SECONDS - t0))s"
}

# ------------------------------------------------------------------------------------ status / psql
cmd_status() {
  local p
  for p in broker connect; do
    if pid_alive $p; then echo "$p: running (pid $(cat "$RUN/$p.pid"))"; else echo "$p: stopped"; fi
  done
  if [[ -f $RUN/pg_dir ]] && as_pg "$PG_BIN/pg_ctl" -D "$(pg_dir)/data" status >/dev/null 2>&1; then
    echo "postgresql: running on 127.0.0.1:$PG_PORT ($(pg_dir)/data)"
  else
    echo "postgresql: stopped"
  fi
  if curl -fsS "$CONNECT_URL/connectors?expand=status" >"$RUN/status.json" 2>/dev/null; then
    jq -r 'to_entries[] | "connector \(.key): \(.value.status.connector.state), tasks: \([.value.status.tasks[].state] | join(","))"' "$RUN/status.json"
  fi
}

cmd_psql() {
  PGPASSWORD=data_engineer exec psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U data_engineer \
    -d "${HP_PG_DB:-data_engineer}" "$@"
}

cmd_createdb() { # a fresh scratch database owned by data_engineer
  (($# == 1)) || die "usage: $0 createdb <name>"
  super_psql -d postgres -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\" OWNER data_engineer"
  log "database $1 created (owner data_engineer)"
}

# --------------------------------------------------------------------------------- topic-count / wait
# messages (tombstones included) on all partitions of a topic; 0 while it does not exist
topic_count() {
  local n
  n=$(timeout 20 kcat -b "$BOOTSTRAP" -C -t "$1" -e -q -f '%o\n' 2>/dev/null | wc -l) || true
  echo "${n:-0}"
}

cmd_wait_topic() {
  (($# >= 2)) || die "usage: $0 wait-topic <topic> <count> [timeout-seconds]"
  local topic=$1 want=$2 limit=${3:-120} t0=$SECONDS n
  while :; do
    n=$(topic_count "$topic")
    ((n >= want)) && break
    ((SECONDS - t0 < limit)) || die "topic $topic: $n of $want messages after ${limit}s"
    sleep 0.5
  done
  ((n == want)) || die "topic $topic: $n messages, expected $want"
  log "topic $topic: $n messages after $((SECONDS - t0))s"
}

# ---------------------------------------------------------------------------------------------- stop
stop_pid() { # name: SIGTERM (both mains have clean shutdown hooks), wait, then SIGKILL
  local name=$1 pid i
  [[ -f $RUN/$name.pid ]] || return 0
  pid=$(cat "$RUN/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) still running after 60s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "$name stopped"
  fi
  rm -f "$RUN/$name.pid"
}

cmd_stop() {
  set +e
  stop_pid connect
  stop_pid broker
  local dir
  dir=$(pg_dir)
  if [[ -d $dir/data ]] && as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    # Connect is gone, so its walsenders end; terminate any left and drop slots + publications
    super_psql -d postgres -Atc "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE active_pid IS NOT NULL" >/dev/null 2>&1
    local i
    for ((i = 0; i < 20; i++)); do
      [[ $(super_psql -d postgres -Atc "SELECT count(*) FROM pg_replication_slots WHERE active" 2>/dev/null) == 0 ]] && break
      sleep 0.5
    done
    super_psql -d postgres -Atc "SELECT slot_name, pg_drop_replication_slot(slot_name) FROM pg_replication_slots" 2>&1 \
      | sed 's/^/[stack] dropped slot /;s/|$//' >&2
    super_psql -d data_engineer -Atc "SELECT format('DROP PUBLICATION %I', pubname) FROM pg_publication" 2>/dev/null \
      | while read -r stmt; do
        super_psql -d data_engineer -c "$stmt" && log "${stmt,,}"
      done
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null && log "PostgreSQL stopped"
  fi
  set -e
}

cmd_logs() {
  local n=${1:-40} f
  for f in "$LOGS"/*; do
    [[ -f $f ]] || continue
    echo "===== $f (last $n lines)"
    tail -n "$n" "$f"
  done
}

cmd_clean() {
  cmd_stop
  wipe_state
  log "removed the work dir in $STACK_DIR (jars kept in $LIBS)"
}

case ${1:-} in
  deps) cmd_deps ;;
  start) cmd_start ;;
  start-connect) start_connect ;;
  register) shift; cmd_register "$@" ;;
  status) cmd_status ;;
  psql) shift; cmd_psql "$@" ;;
  createdb) shift; cmd_createdb "$@" ;;
  topic-count) shift; topic_count "$@" ;;
  wait-topic) shift; cmd_wait_topic "$@" ;;
  stop) cmd_stop ;;
  logs) shift; cmd_logs "$@" ;;
  clean) cmd_clean ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
