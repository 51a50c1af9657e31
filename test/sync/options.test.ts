import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_MS, DEFAULT_BATCH_ROWS, DEFAULT_TABLE, parseSyncArgs, SyncArgsExit } from '../../src/sync/options.js';

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
      snapshot: false,
      kafkaProperties: [],
      kcat: 'kcat',
      stats: false,
      quiet: false,
    });
  });

  it('reads every option', () => {
    const { config } = parse(
      '--brokers', 'a:1,b:2', '--topic', 't', '--partitions', '2, 0', '--drain', '--table', 'audit.trail', '--db', 'postgres://x/y',
      '--batch-rows', '10', '--batch-ms', '50', '--snapshot', '-X', 'security.protocol=SSL', '-X', 'ssl.ca.location=/ca',
      '--kcat', '/opt/kcat', '--stats', '-q',
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
      snapshot: true,
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

  it('--help prints the usage and the exit statuses on stdout, status 0', () => {
    const { status, out, err } = parse('--help');
    expect({ status, err }).toEqual({ status: 0, err: '' });
    expect(out).toMatch(/^Usage: holding-pivot-sync -b <brokers> -t <topic> \[options\]\n/);
    expect(out).toContain('  3    Kafka or PostgreSQL failed, or another sync holds a partition: nothing half-loaded\n');
  });
});
