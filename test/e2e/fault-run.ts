/**
 * The fault-injection run of the e2e test (run by stack/e2e.sh with tsx, on the running stack):
 * drives a few thousand seeded changes of bank.holding through Debezium while it SIGKILLs the
 * holding-pivot-sync instances (some of the kills while a load's transaction is open) and Kafka
 * Connect once, runs the naive `kcat -G | holding-pivot | psql` pipeline through the same kills,
 * and writes what happened to $HP_E2E_DIR/faults/result.json for test/e2e/faults.test.ts to judge.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { prng } from '../support/prng.js';
import { ChangeModel, expectedAnswers, type ExpectedRow } from './fault-changes.js';
import { FAULT_USERS, type FaultResult, type Kill } from './fault-result.js';
import { ROOT } from './outputs.js';

const OUT = join(process.env.HP_E2E_DIR ?? join(ROOT, '.stack', 'e2e'), 'faults');
const SEED = Number(process.env.HP_FAULT_SEED ?? 20261129);
const STEPS = Number(process.env.HP_FAULT_STEPS ?? 1400);
const PG_PORT = Number(process.env.HP_PG_PORT ?? 54329);
const STACK_DIR = process.env.HP_STACK_DIR ?? join(ROOT, '.stack');
const BROKERS = `127.0.0.1:${process.env.HP_KAFKA_PORT ?? 19092}`;
const TOPIC = 'bankfaults.bank.holding';
const TARGET_DB = 'holding_pivot_faults';
// Long enough that a kill lands inside a load's transaction often, short enough to keep up.
const LOAD_DELAY_MS = 250;

mkdirSync(OUT, { recursive: true });
const logFile = join(OUT, 'run.log');
writeFileSync(logFile, '');
const started = Date.now();
function log(text: string): void {
  const line = `[faults ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${text}`;
  appendFileSync(logFile, `${line}\n`);
  console.log(line);
}

const pgEnv = (database: string): NodeJS.ProcessEnv => ({
  ...process.env,
  PGHOST: '127.0.0.1',
  PGPORT: String(PG_PORT),
  PGUSER: 'data_engineer',
  PGPASSWORD: 'data_engineer',
  PGDATABASE: database,
});

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${String(r.status)}: ${r.stderr}`);
  return r.stdout;
}

const stack = (...args: string[]): string => run('bash', [join(ROOT, 'stack', 'stack.sh'), ...args]);

/** Starts Kafka Connect again without blocking the changes and the kills meanwhile. */
function startConnect(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(ROOT, 'stack', 'stack.sh'), 'start-connect'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`stack.sh start-connect exited with ${String(code)}: ${err}`))));
  });
}
const psql = (database: string, ...args: string[]): string => run('psql', ['-X', '-v', 'ON_ERROR_STOP=1', ...args], pgEnv(database));

/** Each partition's end (none before Debezium creates the topic). */
function partitionEnds(): Map<number, number> {
  const r = spawnSync('kcat', ['-b', BROKERS, '-Q', '-J', ...[0, 1, 2].flatMap((p) => ['-t', `${TOPIC}:${p}:-1`])], { encoding: 'utf8' });
  const ends = new Map<number, number>();
  if (r.status !== 0) return ends;
  const answer = JSON.parse(r.stdout) as Record<string, Record<string, { partition?: number; offset?: number }>>;
  for (const p of Object.values(answer[TOPIC] ?? {})) {
    if (typeof p === 'object' && typeof p.partition === 'number' && typeof p.offset === 'number') ends.set(p.partition, p.offset);
  }
  return ends;
}

/** How many messages the topic holds. */
const topicEnd = (): number => [...partitionEnds().values()].reduce((a, b) => a + b, 0);

/** A process in its own process group, so that a kill can take its children (kcat) with it. */
class Managed {
  static readonly all: Managed[] = [];
  child: ChildProcess | null = null;
  readonly exits: (number | string | null)[] = [];

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {
    Managed.all.push(this);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process unless it runs already (two kills close together restart it once). */
  start(): void {
    if (this.running) return;
    const err = openSync(join(OUT, `${this.name}.stderr`), 'a');
    const child = spawn(this.command, this.args, { cwd: ROOT, env: this.env, detached: true, stdio: ['ignore', 'ignore', err] });
    child.on('exit', (code, signal) => this.exits.push(code ?? signal));
    this.child = child;
  }

  /** SIGKILL to the process itself, then to what it leaves behind in its group. */
  async kill(whole: boolean): Promise<void> {
    const child = this.child;
    if (!this.running || child?.pid === undefined) return;
    const done = new Promise((resolve) => child.once('exit', resolve));
    process.kill(whole ? -child.pid : child.pid, 'SIGKILL');
    await done;
    if (!whole) {
      // An orphaned kcat would die at its next write into the closed pipe; do not wait for that.
      await sleep(100);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    }
  }

  /** Waits for the process to end by itself, or after `signal`; returns how it ended. */
  async end(signal?: NodeJS.Signals, pid?: number): Promise<number | string | null> {
    const child = this.child!;
    if (child.exitCode === null && child.signalCode === null) {
      const done = new Promise((resolve) => child.once('exit', resolve));
      if (signal !== undefined) process.kill(pid ?? child.pid!, signal);
      await done;
    }
    return this.exits.at(-1) ?? null;
  }
}

function syncProcess(name: string, partitions: string, extra: readonly string[] = []): Managed {
  return new Managed(
    name,
    process.execPath,
    [join(ROOT, 'bin', 'holding-pivot-sync.js'), '-b', BROKERS, '-t', TOPIC, '--partitions', partitions, '--batch-rows', '100', '--batch-ms', '200', '--stats', ...extra],
    { ...pgEnv(TARGET_DB), PGAPPNAME: name, HOLDING_PIVOT_SYNC_TEST_LOAD_DELAY_MS: String(LOAD_DELAY_MS) },
  );
}

// The pipeline of stack/README.md's "Spreading the work", loading into holding_pivot as the README's \copy does.
// -J and tee only let the harness see how far it has read; a short session lets a restarted
// consumer take over the partitions of the killed one in seconds rather than 45.
const NAIVE_READ = join(OUT, 'naive.kcat.out');
const NAIVE =
  `kcat -b ${BROKERS} -G holding-pivot-naive -X auto.offset.reset=earliest -X session.timeout.ms=6000 -J -u ${TOPIC}` +
  ` | tee -a ${NAIVE_READ} | node bin/holding-pivot.js | psql -X -q -c "\\copy holding_pivot from stdin csv"`;

/** Whether the naive pipeline's kcat has printed every partition's last message (in any of its lives). */
function naiveCaughtUp(ends: ReadonlyMap<number, number>): boolean {
  const read = new Map<number, number>();
  for (const line of readFileSync(NAIVE_READ, 'utf8').split('\n')) {
    const m = /^\{"topic":"[^"]*","partition":(\d+),"offset":(\d+)/.exec(line);
    if (m) read.set(Number(m[1]), Math.max(read.get(Number(m[1])) ?? -1, Number(m[2])));
  }
  return [...ends].every(([p, end]) => end === 0 || (read.get(p) ?? -1) >= end - 1);
}

async function transactionOpen(monitor: pg.Client, name: string): Promise<boolean> {
  const r = await monitor.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'", [name]);
  return (r.rowCount ?? 0) > 0;
}

async function main(): Promise<void> {
  const rand = prng(SEED);
  const model = new ChangeModel(rand);
  log(`seed ${SEED}, ${STEPS} steps, topic ${TOPIC}, target database ${TARGET_DB}`);

  stack('createdb', TARGET_DB);
  // holding_pivot_audit.sql makes holding_pivot too, the naive pipeline's table
  psql(TARGET_DB, '-q', '-f', join(ROOT, 'sql', 'holding_pivot_audit.sql'), '-f', join(ROOT, 'sql', 'holding_pivot_sync.sql'));
  stack(
    'register',
    join(ROOT, 'connect', 'holding-connector.json'),
    'name=holding-connector-faults',
    'topic.prefix=bankfaults',
    'slot.name=holding_pivot_faults',
    'publication.name=holding_pivot_faults',
    'topic.creation.default.partitions=3',
    'topic.creation.default.replication.factor=1',
    // only the changes made from now on: the model starts from an empty set of rows it made
    'snapshot.mode=no_data',
  );
  log('connector holding-connector-faults RUNNING');

  const source = new pg.Client({ host: '127.0.0.1', port: PG_PORT, user: 'data_engineer', password: 'data_engineer', database: 'data_engineer' });
  const monitor = new pg.Client({ host: '127.0.0.1', port: PG_PORT, user: 'data_engineer', password: 'data_engineer', database: TARGET_DB });
  await source.connect();
  await monitor.connect();

  let statements = 0;
  const apply = async (): Promise<void> => {
    const step = model.next();
    await source.query('BEGIN');
    for (const sql of step.sql) await source.query(sql);
    await source.query(step.rollback ? 'ROLLBACK' : 'COMMIT');
    statements += step.sql.length;
  };
  await apply();
  for (let t0 = Date.now(); topicEnd() < 1; await sleep(200)) {
    if (Date.now() - t0 > 60_000) throw new Error(`no message on ${TOPIC} after 60 s`);
  }

  const syncs = [syncProcess('sync-a', '0,1'), syncProcess('sync-b', '2')];
  writeFileSync(NAIVE_READ, '');
  const naive = new Managed('naive', 'bash', ['-c', NAIVE], pgEnv(TARGET_DB));
  for (const p of [...syncs, naive]) p.start();
  log('started sync-a (partitions 0,1), sync-b (partition 2) and the naive pipeline');

  // The schedule: four sync kills spread over the run, each at a seeded step of its own stretch
  // (the first and third wait for an open load transaction); Connect once, early, so that the
  // kills after it come while the copies it re-sends are being read.
  const kills = [0.1, 0.4, 0.65, 0.85].map((from) => Math.floor(STEPS * (from + rand() * 0.1)));
  const connectStep = Math.floor(STEPS * 0.25);
  const killLog: Kill[] = [];
  const background: Promise<unknown>[] = [];
  let connect: FaultResult['connect'] | null = null;

  for (let step = 1; step < STEPS; step++) {
    await apply();
    // Spread over about 40 s, so that the naive consumers live long enough to commit offsets (every 5 s).
    if (step % 10 === 0) await sleep(250);
    const k = kills.indexOf(step);
    if (k !== -1) {
      const target = syncs[k % 2]!;
      const wantMidLoad = k % 2 === 0;
      if (wantMidLoad) {
        for (let t0 = Date.now(); !(await transactionOpen(monitor, target.name)) && Date.now() - t0 < 5000; ) await sleep(5);
      }
      const midLoad = await transactionOpen(monitor, target.name);
      await target.kill(false);
      await naive.kill(true);
      killLog.push({ target: target.name, step, midLoad, at: Date.now() - started });
      log(`SIGKILL ${target.name} at step ${step} (${midLoad ? 'a load transaction was open' : 'no transaction open'}), and the naive pipeline`);
      const pause = 300 + Math.floor(rand() * 700);
      background.push(
        sleep(pause).then(() => {
          target.start();
          naive.start();
          log(`restarted ${target.name} and the naive pipeline after ${pause} ms`);
        }),
      );
    }
    if (step === connectStep) {
      const sent = topicEnd();
      const pid = Number(readFileSync(join(STACK_DIR, 'run', 'connect.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      log(`SIGKILL Kafka Connect (pid ${pid}) at step ${step}: ${sent} messages on the topic, offsets not flushed since it started`);
      connect = { step, messagesWhenKilled: sent, restartedAfterMs: 0 };
      const killedAt = Date.now();
      background.push(
        sleep(2000).then(async () => {
          await startConnect();
          connect!.restartedAfterMs = Date.now() - killedAt;
          log(`Kafka Connect restarted after ${connect!.restartedAfterMs} ms; the connector resumes from its last flushed offset`);
        }),
      );
    }
  }
  await Promise.all(background);
  log(`${STEPS} steps, ${statements} statements, ${model.expected.length / 2} events: at least ${model.messages} messages expected`);

  // Caught up: the topic holds every change (and the duplicates), and its end no longer moves.
  let end = -1;
  for (let t0 = Date.now(); ; await sleep(1500)) {
    const now = topicEnd();
    if (now >= model.messages && now === end) break;
    end = now;
    if (Date.now() - t0 > 120_000) throw new Error(`topic ${TOPIC}: ${now} messages after 120 s, expected at least ${model.messages}`);
  }
  log(`topic complete: ${end} messages`);

  const stopped = [];
  for (const s of syncs) stopped.push(await s.end('SIGTERM'));
  log(`SIGTERM to the running syncs: exit ${stopped.join(', ')}`);
  const drain = syncProcess('sync-drain', '0,1,2', ['--drain']);
  drain.start();
  const drained = await drain.end();
  log(`holding-pivot-sync --drain: exit ${String(drained)}`);

  // The naive pipeline has loaded nothing since its last start: its psql commits at end of input.
  const ends = partitionEnds();
  for (let t0 = Date.now(); !naiveCaughtUp(ends); await sleep(500)) {
    if (Date.now() - t0 > 60_000) throw new Error('the naive pipeline has not read the whole topic after 60 s');
  }
  const children = readFileSync(`/proc/${naive.child!.pid}/task/${naive.child!.pid}/children`, 'utf8').trim().split(/\s+/);
  const kcatPid = Number(children.find((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'kcat'));
  const naiveExit = await naive.end('SIGTERM', kcatPid);
  log(`naive pipeline: kcat sent SIGTERM, pipeline exit ${String(naiveExit)}`);

  const dump = async (table: string): Promise<ExpectedRow[]> => {
    const r = await monitor.query<{ r: ExpectedRow }>(
      `SELECT json_build_array(holding_id, user_id, change_field, old_value, new_value, op,
              to_char(datetime_created, 'YYYY-MM-DD HH24:MI:SS.US')) AS r FROM ${table}`,
    );
    return r.rows.map((row) => row.r);
  };
  const audit = await dump('holding_pivot_audit');
  const naiveRows = await dump('holding_pivot');
  const rejects = Number((await monitor.query('SELECT count(*) AS n FROM holding_pivot_sync_rejects')).rows[0].n);
  const offsets = (await monitor.query('SELECT kafka_partition, next_offset FROM holding_pivot_sync_offsets ORDER BY 1')).rows;

  // Duplicates in the topic: the same change (LSN, transaction, op, key) in more than one message.
  const seen = new Map<string, number>();
  const lines = run('kcat', ['-b', BROKERS, '-C', '-J', '-e', '-q', '-t', TOPIC]).split('\n').filter(Boolean);
  for (const line of lines) {
    const message = JSON.parse(line) as { payload: string | null };
    if (message.payload === null) continue;
    const { payload } = JSON.parse(message.payload) as { payload: { op: string; source: { lsn: number; txId: number }; before?: { holding_id: number }; after?: { holding_id: number } } };
    const key = `${payload.source.lsn}/${payload.source.txId}/${payload.op}/${(payload.after ?? payload.before)!.holding_id}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicates = [...seen.values()].reduce((n, c) => n + c - 1, 0);
  log(`topic: ${lines.length} messages, ${duplicates} change events delivered more than once`);

  // The questions, asked of the audit table.
  const answers: FaultResult['answers'] = [];
  for (const user of FAULT_USERS) {
    const period = ['-v', 'from=2000-01-01', '-v', 'to=2100-01-01'];
    const out = psql(TARGET_DB, '-A', '-t', '-v', 'table=holding_pivot_audit', '-v', `user_id=${user}`, ...period, '-f', 'sql/questions.sql');
    answers.push({ user, output: out, expected: expectedAnswers(model.expected, user) });
  }

  const result: FaultResult = {
    seed: SEED,
    steps: STEPS,
    statements,
    expected: model.expected,
    audit,
    naive: naiveRows,
    rejects,
    offsets,
    kills: killLog,
    connect: connect!,
    topic: { messages: lines.length, minimum: model.messages, duplicates },
    exits: { stopped, drained, naive: naiveExit },
    answers,
  };
  writeFileSync(join(OUT, 'result.json'), JSON.stringify(result));
  log(`wrote ${join(OUT, 'result.json')}`);
  await source.end();
  await monitor.end();
}

try {
  await main();
} finally {
  // Whatever failed, leave no sync, kcat or pipeline behind.
  for (const p of Managed.all) {
    if (p.child?.pid !== undefined && p.child.exitCode === null && p.child.signalCode === null) {
      try {
        process.kill(-p.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
