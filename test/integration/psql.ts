/**
 * Runs the psql CLI and the built holding-pivot binary for the PostgreSQL integration test: a
 * scratch database per run, a schema per scenario, a non-UTC session time zone throughout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'holding-pivot.js');
export const QUESTIONS = join(ROOT, 'sql', 'questions.sql');
const BUILT_MAIN = join(ROOT, 'dist', 'main.js');

/**
 * The session time zone of every psql run. Not UTC, so that a value shifted by the zone would
 * show; the tool's datetimes are UTC and must arrive as the UTC wall-clock time.
 */
export const SESSION_TIME_ZONE = 'America/New_York';

/** Where the server is: the libpq variables when set, else the CI machine's 127.0.0.1:5432 as postgres. */
export const SERVER = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: process.env.PGPORT ?? '5432',
  user: process.env.PGUSER ?? 'postgres',
};

export interface Target {
  readonly database: string;
  /** The schema first on the search_path, where holding_pivot.sql creates the table. */
  readonly schema?: string;
}

/** libpq's environment for one psql run: the server, the database, the search_path, the time zone. */
function pgEnv(target: Target): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: SERVER.host,
    PGPORT: SERVER.port,
    PGUSER: SERVER.user,
    PGDATABASE: target.database,
    PGTZ: SESSION_TIME_ZONE,
    PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? '5',
    PGAPPNAME: 'holding-pivot-integration-test',
  };
  // A caller's own settings must not change what the queries print.
  delete env.PGDATESTYLE;
  delete env.PGOPTIONS;
  delete env.PGSERVICE;
  if (target.schema !== undefined) env.PGOPTIONS = `-c search_path=${target.schema}`;
  return env;
}

/** psql's options for scripts: no ~/.psqlrc, stop (exit 3) at the first error. */
const PSQL_BASE = ['-X', '-v', 'ON_ERROR_STOP=1'];

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function describeRun(what: string, r: RunResult): string {
  return `${what} exited with ${String(r.status)}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout}`;
}

/** Runs psql with `args` (in the project root unless `cwd` says otherwise) and returns how it went. */
export function runPsql(target: Target, args: readonly string[], opts: { input?: string; cwd?: string } = {}): RunResult {
  const r = spawnSync('psql', [...PSQL_BASE, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: pgEnv(target),
    input: opts.input ?? '',
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`cannot run psql: ${r.error.message}`);
  return r;
}

/** Runs psql with `args` and returns its stdout; throws with its stderr unless it exits 0. */
export function psql(target: Target, args: readonly string[], opts: { input?: string; cwd?: string } = {}): string {
  const r = runPsql(target, args, opts);
  if (r.status !== 0) throw new Error(describeRun(`psql ${args.join(' ')}`, r));
  return r.stdout;
}

/** Runs one SQL statement and returns its rows, one string per row (psql -A -t). */
export function query(target: Target, sql: string): string[] {
  const out = psql(target, ['-A', '-t', '-q', '-c', sql]);
  return out === '' ? [] : out.replace(/\n$/, '').split('\n');
}

/** Whether a server answers, and if not why, asked once with a short connect timeout. */
export function probeServer(): { ok: true; version: string } | { ok: false; reason: string } {
  const r = spawnSync('psql', [...PSQL_BASE, '-A', '-t', '-c', 'SHOW server_version'], {
    env: pgEnv({ database: 'postgres' }),
    input: '',
    encoding: 'utf8',
    timeout: 15_000,
  });
  const where = `${SERVER.user}@${SERVER.host}:${SERVER.port}`;
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, reason: missing ? 'the psql client is not installed' : `psql failed: ${r.error.message}` };
  }
  if (r.status !== 0) return { ok: false, reason: `no PostgreSQL server at ${where}: ${r.stderr.trim()}` };
  return { ok: true, version: r.stdout.trim() };
}

/** Creates a scratch database with a name no other run uses, and returns it. */
export function createScratchDatabase(): string {
  const name = `holding_pivot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  psql({ database: 'postgres' }, ['-q', '-c', `CREATE DATABASE ${name}`]);
  return name;
}

/** Drops the scratch database, first ending any session a failed test left connected to it. */
export function dropScratchDatabase(name: string): void {
  psql({ database: 'postgres' }, [
    '-q',
    '-c',
    `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}'`,
    '-c',
    `DROP DATABASE IF EXISTS ${name}`,
  ]);
}

/** A new schema holding an empty holding_pivot made by sql/holding_pivot.sql. */
export function freshTable(database: string, schema: string): Target {
  psql({ database }, ['-q', '-c', `CREATE SCHEMA ${schema}`]);
  const target = { database, schema };
  psql(target, ['-q', '-f', join(ROOT, 'sql', 'holding_pivot.sql')]);
  return target;
}

/** Fails clearly when the binary has not been built. */
export function assertBuilt(): void {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run npm run build first`);
}

/** The tool's environment: its datetime_inserted must come from the clock, whatever the caller set. */
function toolEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.SOURCE_DATE_EPOCH;
  return env;
}

/** Runs the built holding-pivot and returns its stdout; throws unless it exits 0. */
export function holdingPivot(args: readonly string[], input = ''): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: toolEnv(), input, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(describeRun(`holding-pivot ${args.join(' ')}`, r));
  return r.stdout;
}

/**
 * `holding-pivot <toolArgs> | psql <psqlArgs>`: the tool's stdout is psql's stdin, as in a shell
 * pipeline. Resolves with psql's stdout; rejects unless both exit 0.
 */
export function pipeIntoPsql(toolArgs: readonly string[], target: Target, psqlArgs: readonly string[]): Promise<string> {
  const tool = spawn(process.execPath, [BIN, ...toolArgs], { cwd: ROOT, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const sql = spawn('psql', [...PSQL_BASE, ...psqlArgs], { cwd: ROOT, env: pgEnv(target), stdio: [tool.stdout, 'pipe', 'pipe'] });
  // psql has its own copy of the pipe's read end now. Closing ours keeps this process from
  // reading the rows too, and lets the tool's 'close' event come.
  tool.stdout.destroy();
  const collect = (child: typeof tool) => {
    const out = { stdout: '', stderr: '' };
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (out.stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (out.stderr += s));
    return new Promise<RunResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, ...out }));
    });
  };
  const toolDone = new Promise<RunResult>((resolve, reject) => {
    let stderr = '';
    tool.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    tool.on('error', reject);
    tool.on('close', (status) => resolve({ status, stdout: '', stderr }));
  });
  return Promise.all([toolDone, collect(sql)]).then(([t, p]) => {
    if (t.status !== 0) throw new Error(describeRun(`holding-pivot ${toolArgs.join(' ')}`, t));
    if (p.status !== 0) throw new Error(describeRun(`psql ${psqlArgs.join(' ')}`, p));
    return p.stdout;
  });
}

/**
 * Splits the output of `psql -A -t -f sql/questions.sql` into its answers: each starts at the
 * "[name] question" line the file echoes and holds the rows after it.
 */
export function parseAnswers(output: string): Map<string, string[]> {
  const answers = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.replace(/\n$/, '').split('\n')) {
    const heading = /^\[([a-z_]+)\] /.exec(line);
    if (heading) {
      current = [];
      answers.set(heading[1]!, current);
    } else if (current) {
      current.push(line);
    } else if (line !== '') {
      throw new Error(`output before the first question: ${line}`);
    }
  }
  return answers;
}

export interface Variables {
  user_id: number;
  from: string;
  to: string;
  /** The table asked, when not holding_pivot. */
  table?: string;
}

/** Runs sql/questions.sql as it is and returns each answer by its name, rows as psql -A prints them. */
export function ask(target: Target, v: Variables): Record<string, string[]> {
  const table = v.table === undefined ? [] : ['-v', `table=${v.table}`];
  const out = psql(target, ['-A', '-t', '-v', `user_id=${v.user_id}`, '-v', `from=${v.from}`, '-v', `to=${v.to}`, ...table, '-f', QUESTIONS]);
  return Object.fromEntries(parseAnswers(out));
}
