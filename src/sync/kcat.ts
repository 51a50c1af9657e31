import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { SyncConfig } from './options.js';

/** kcat failed, or said something this sync cannot work with. */
export class KafkaError extends Error {}

type KafkaSettings = Pick<SyncConfig, 'kcat' | 'brokers' | 'topic' | 'kafkaProperties'>;

function baseArgs(config: KafkaSettings): string[] {
  return ['-b', config.brokers, ...config.kafkaProperties.flatMap((p) => ['-X', p])];
}

/** Runs kcat to completion and returns its stdout; throws KafkaError with its stderr unless it exits 0. */
function runKcat(config: KafkaSettings, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(config.kcat, [...baseArgs(config), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', (error) => reject(new KafkaError(`cannot run ${config.kcat}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new KafkaError(`kcat ${args.join(' ')} exited with ${String(code)}: ${err.trim() || 'no message'}`));
    });
  });
}

/** The topic's partitions, from the brokers' metadata (kcat -L -J). */
export async function topicPartitions(config: KafkaSettings): Promise<number[]> {
  const metadata = JSON.parse(await runKcat(config, ['-L', '-J', '-t', config.topic])) as {
    topics?: { topic: string; error?: string; partitions?: { partition: number }[] }[];
  };
  const topic = metadata.topics?.find((t) => t.topic === config.topic);
  if (topic === undefined || topic.error !== undefined || topic.partitions === undefined || topic.partitions.length === 0) {
    throw new KafkaError(`topic ${config.topic}: ${topic?.error ?? 'not found'}`);
  }
  return topic.partitions.map((p) => p.partition).sort((a, b) => a - b);
}

/** Each partition's end: the offset its next message will get (kcat -Q with timestamp -1). */
export async function endOffsets(config: KafkaSettings, partitions: readonly number[]): Promise<Map<number, number>> {
  const args = ['-Q', '-J', ...partitions.flatMap((p) => ['-t', `${config.topic}:${p}:-1`])];
  const answer = JSON.parse(await runKcat(config, args)) as Record<string, Record<string, { partition?: number; offset?: number }>>;
  const ends = new Map<number, number>();
  for (const entry of Object.values(answer[config.topic] ?? {})) {
    if (typeof entry === 'object' && typeof entry.partition === 'number' && typeof entry.offset === 'number') {
      ends.set(entry.partition, entry.offset);
    }
  }
  return ends;
}

/** Splits a byte stream into lines (without their "\n"), keeping the bytes as they came. */
export async function* splitLines(stream: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, end);
      yield pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  // kcat ends every message with a newline: a rest means it was cut off, and is not a message.
}

/**
 * One partition read by its own kcat: `kcat -C -J -u -p <partition> -o <offset>`, from the
 * offset PostgreSQL holds, with no consumer group, so Kafka keeps no position of ours. An offset
 * the partition no longer holds is an error (auto.offset.reset=error), never a silent jump.
 */
export class PartitionReader {
  private readonly child: ChildProcess;
  private stopped = false;
  private stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(
    config: KafkaSettings & Pick<SyncConfig, 'drain'>,
    readonly partition: number,
    start: number | null,
  ) {
    const args = [
      ...baseArgs(config),
      '-C', '-J', '-u', '-q',
      '-X', 'auto.offset.reset=error',
      '-t', config.topic,
      '-p', String(partition),
      '-o', start === null ? 'beginning' : String(start),
      ...(config.drain ? ['-e'] : []),
    ];
    this.child = spawn(config.kcat, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      this.stderr = (this.stderr + s).slice(-4000);
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', (error) => reject(new KafkaError(`cannot run ${config.kcat}: ${error.message}`)));
      this.child.on('close', (code) => resolve(code));
    });
  }

  /** The partition's messages, one kcat -J line each; ends when kcat ends, throws if it failed. */
  async *lines(): AsyncGenerator<Buffer> {
    yield* splitLines(this.child.stdout as Readable);
    const code = await this.exited;
    if (code !== 0 && !this.stopped) {
      throw new KafkaError(`kcat for partition ${this.partition} exited with ${String(code)}: ${this.stderr.trim() || 'no message'}`);
    }
  }

  /** Stops reading: what kcat has not printed yet is read again by the next run. */
  stop(): void {
    this.stopped = true;
    this.child.kill('SIGTERM');
  }
}
