import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgsExit, parseArgs } from '../../src/cli/args.js';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { DEFAULT_BATCH_MS, DEFAULT_BATCH_ROWS, DEFAULT_TABLE, parseSyncArgs, SyncArgsExit } from '../../src/sync/options.js';
import { ROOT, TEST_ENV } from '../support/spawn.js';

function parse(...args: string[]): { config?: ReturnType<typeof parseSyncArgs>; status?: number; out: string; err: string } {
  let out = '';
  let err = '';
  try {
    const config = parseSyncArgs(['node', 'holding-pivot-sync', ...args], (s) => (out += s), (s) => (err += s));
    return { config, out, err };
  } catch (error) {
    if (!(error instanceof SyncArgsExit)) throw error;
    return { status: error.status, out, err };
  }
}

// holding-pivot's defaults, but for the two options the sync sets itself and the tables of --config.
const { with: _with, timestamps: _timestamps, tables: _tables, ...PIVOT_DEFAULTS } = DEFAULT_OPTIONS;

describe('holding-pivot-sync options', () => {
  it('needs only the brokers and the topic; the rest has defaults', () => {
    expect(parse('-b', 'k:9092', '-t', 'topic').config).toEqual({
      brokers: 'k:9092',
      topic: 'topic',
      partitions: null,
      drain: false,
      table: DEFAULT_TABLE,
      db: null,
      batchRows: DEFAULT_BATCH_ROWS,
      batchMs: DEFAULT_BATCH_MS,
      pivot: PIVOT_DEFAULTS,
      kafkaProperties: [],
      kcat: 'kcat',
      stats: false,
      quiet: false,
    });
  });

  it('reads every option', () => {
    const { config } = parse(
      '--brokers', 'a:1,b:2', '--topic', 't', '--partitions', '2, 0', '--drain', '--table', 'audit.trail', '--db', 'postgres://x/y',
      '--batch-rows', '10', '--batch-ms', '50', '--fields', 'email, plan', '--id-field', 'customer_id', '--user-field', '',
      '--created-field', 'signed_up', '--snapshot', '--changed-only', '--event-time', 'processed',
      '-X', 'security.protocol=SSL', '-X', 'ssl.ca.location=/ca', '--kcat', '/opt/kcat', '--stats', '-q',
    );
    expect(config).toEqual({
      brokers: 'a:1,b:2',
      topic: 't',
      partitions: [2, 0],
      drain: true,
      table: 'audit.trail',
      db: 'postgres://x/y',
      batchRows: 10,
      batchMs: 50,
      pivot: {
        fields: ['email', 'plan'],
        idField: 'customer_id',
        userField: '',
        createdField: 'signed_up',
        snapshot: true,
        changedOnly: true,
        eventTime: 'processed',
      },
      kafkaProperties: ['security.protocol=SSL', 'ssl.ca.location=/ca'],
      kcat: '/opt/kcat',
      stats: true,
      quiet: true,
    });
  });

  it.each([
    [['-t', 't'], "required option '-b, --brokers <list>' not specified"],
    [['-b', 'k', '-t', 't', '--partitions', '1,x'], "option '--partitions <list>' argument '1,x' is invalid. expected partition numbers such as 0,2."],
    [['-b', 'k', '-t', 't', '--partitions', '1,1'], "option '--partitions <list>' argument '1,1' is invalid. a partition is listed twice."],
    [['-b', 'k', '-t', 't', '--batch-rows', '0'], "option '--batch-rows <n>' argument '0' is invalid. expected a positive integer."],
    [['-b', 'k', '-t', 't', '--batch-ms', '1.5'], "option '--batch-ms <ms>' argument '1.5' is invalid. expected a positive integer."],
    [['-b', 'k', '-t', 't', '-X', 'novalue'], "option '-X <property=value>' argument 'novalue' is invalid. expected property=value."],
  ])('%j is a usage error (status 2) saying why', (args, message) => {
    expect(parse(...args)).toEqual({ status: 2, out: '', err: `holding-pivot-sync: ${message} (see holding-pivot-sync --help)\n` });
  });

  it('a bad pivot option is the usage error holding-pivot gives, but for the name', () => {
    const pivotUsage = (args: string[]) => {
      try {
        parseArgs(['node', 'holding-pivot', ...args], {});
      } catch (error) {
        if (error instanceof ArgsExit) return error;
      }
      throw new Error(`holding-pivot took ${JSON.stringify(args)}`);
    };
    const cases = [['--fields', 'a,,b'], ['--fields', 'a,b,a'], ['--id-field', ''], ['--event-time', 'later'], ['--user-field'], ['--event-time', 'x\u001b[2J']];
    for (const args of cases) {
      const { status, stderr } = pivotUsage(args);
      expect(parse('-b', 'k', '-t', 't', ...args)).toEqual({ status, out: '', err: stderr.replaceAll('holding-pivot', 'holding-pivot-sync') });
    }
    expect(parse('-b', 'k', '-t', 't', '--id-field', '')).toEqual({
      status: 2,
      out: '',
      err: "holding-pivot-sync: option '--id-field <column>' argument '' is invalid. expected a column name. (see holding-pivot-sync --help)\n",
    });
  });

  it('sets --timestamps and --with itself: ISO times for its timestamp columns, every identity column', () => {
    expect(parse('-b', 'k', '-t', 't', '--timestamps', 'epoch').err).toBe("holding-pivot-sync: unknown option '--timestamps' (see holding-pivot-sync --help)\n");
    expect(parse('-b', 'k', '-t', 't', '--with', 'event_id').err).toBe("holding-pivot-sync: unknown option '--with' (see holding-pivot-sync --help)\n");
  });

  it('--help prints the usage and the exit statuses on stdout, status 0', () => {
    const { status, out, err } = parse('--help');
    expect({ status, err }).toEqual({ status: 0, err: '' });
    expect(out).toMatch(/^Usage: holding-pivot-sync -b <brokers> -t <topic> \[options\]\n/);
    expect(out.replace(/\s+/g, ' ')).toContain(
      ' --fields <list> comma-separated columns to track, one row each (default: holding_stock,holding_quantity)' +
        ' --id-field <column> column the holding_id comes from (default: "holding_id")' +
        ' --user-field <column> column the user_id comes from ("" for none) (default: "user_id")' +
        ' --created-field <column> column datetime_created comes from ("" for none) (default: "datetime_created")' +
        ' --snapshot also pivot snapshot reads (op "r") like creates; skipped by default' +
        ' --changed-only leave out update rows whose field did not change' +
        ' --event-time <mode> datetime_updated/deleted: commit: when PostgreSQL committed the change; processed: when Debezium read it (choices: "commit", "processed", default: "commit")' +
        ' -X <property=value>',
    );
    expect(out).toContain('\nExit status:\n  0    stopped or drained; every message read was loaded\n');
    expect(out).toContain('  143  stopped by SIGTERM, after loading what it had read\n');
  });

  it('--help lists the options the README names, and no other, with the defaults it gives', () => {
    const flags = (text: string) => [...new Set(text.match(/(?<![\w-])-{1,2}[a-zA-Z][\w-]*/g))].sort();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const lead = '`holding-pivot-sync --help` lists the options:';
    const named = readme.slice(readme.indexOf(lead) + lead.length, readme.indexOf('declared once for both commands'));
    const { out } = parse('--help');
    const listed = out.slice(out.indexOf('Options:'), out.indexOf('\n\n', out.indexOf('Options:')));
    const options = listed.split('\n').flatMap((row) => /^ {2}(-\S.*?)(?: {2,}|$)/.exec(row)?.[1] ?? []);
    expect(flags(named)).toEqual(flags(options.join(' ')).filter((flag) => !['-V', '--version', '-h', '--help'].includes(flag)));
    const defaults = [`\`--table\` (default \`${DEFAULT_TABLE}\`)`, `\`--batch-rows\` (default ${DEFAULT_BATCH_ROWS})`, `\`--batch-ms\` (default ${DEFAULT_BATCH_MS})`];
    expect(defaults.filter((text) => !named.replace(/\s+/g, ' ').includes(text))).toEqual([]);
  });

  it('--help to a reader that is gone (| true) exits 0, silently, as holding-pivot does', () => {
    const result = spawnSync('bash', ['-c', `node "${ROOT}bin/holding-pivot-sync.js" --help | true; echo "status \${PIPESTATUS[0]}" >&2`], {
      env: TEST_ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result.stderr).toBe('status 0\n');
  });
});
