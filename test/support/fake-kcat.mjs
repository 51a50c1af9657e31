#!/usr/bin/env node
// Stands in for kcat in the sync's tests (holding-pivot-sync --kcat), answering the three calls the
// sync makes from a file of kcat -J lines (FAKE_KCAT_LINES), as kcat would:
//   -L -J -t <topic>                 metadata: the partitions the file holds
//   -Q -J -t <topic>:<p>:-1 …        each partition's end
//   -C -J … -p <p> -o <offset|beginning> [-e]
//                                    the partition's lines from the offset; with -e exit 0 at the
//                                    end, else wait to be stopped. An offset past the end fails like
//                                    kcat with auto.offset.reset=error. FAKE_KCAT_FAIL_AFTER=n
//                                    fails (exit 1) after printing n lines.
import { readFileSync, writeSync } from 'node:fs';

const args = process.argv.slice(2);
const arg = (flag) => args[args.indexOf(flag) + 1];
const lines = readFileSync(process.env.FAKE_KCAT_LINES, 'utf8').split('\n').filter(Boolean);
const messages = lines.map((line) => ({ line, ...JSON.parse(line) }));
const partitions = [...new Set(messages.map((m) => m.partition))].sort((a, b) => a - b);
const end = (p) => messages.filter((m) => m.partition === p).reduce((e, m) => Math.max(e, m.offset + 1), 0);
const topic = messages[0].topic;

if (args.includes('-L')) {
  process.stdout.write(`${JSON.stringify({ topics: [{ topic, partitions: partitions.map((partition) => ({ partition })) }] })}\n`);
} else if (args.includes('-Q')) {
  const answer = { [topic]: { topic } };
  for (const p of partitions) answer[topic][String(p)] = { partition: p, offset: end(p) };
  process.stdout.write(`${JSON.stringify(answer)}\n`);
} else {
  const partition = Number(arg('-p'));
  const from = arg('-o') === 'beginning' ? 0 : Number(arg('-o'));
  if (from > end(partition)) {
    process.stderr.write(`% ERROR: Topic ${topic} [${partition}] error: Broker: Offset out of range\n`);
    process.exit(1);
  }
  const failAfter = Number(process.env.FAKE_KCAT_FAIL_AFTER ?? Infinity);
  let printed = 0;
  for (const m of messages) {
    if (m.partition !== partition || m.offset < from) continue;
    if (printed++ === failAfter) {
      process.stderr.write('% ERROR: Local: Broker transport failure\n');
      process.exit(1);
    }
    writeSync(1, `${m.line}\n`);
  }
  if (!args.includes('-e')) setInterval(() => undefined, 1 << 30);
}
