// One timed run of a benchmark command, and the warm-up run that checks its output.
// A command reads its input either from the file itself on stdin, or through a pipe from
// `cat FILE`, as kcat feeds it. Either way GNU time wraps the command (and cat), so CPU seconds and
// peak RSS are the command's own, read from wait4 (exact, no polling); the wall time is the whole
// pipeline's, from spawning it to its end.
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvDigest } from './csv-digest.mjs';

export const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);

// The pipe: `cat` and the command each under GNU time, so cat's CPU seconds are measured apart from
// the command's. sh's own start (about a millisecond) counts in the wall time, as in a shell.
const PIPED = 't=$1 ct=$2 in=$3 ht=$4; shift 4; "$t" -f "%U %S" -o "$ct" cat "$in" | "$t" -f "%M %U %S" -o "$ht" "$@"';
const PIPED_UNTIMED = 'in=$1; shift; cat "$in" | "$@"';

/** GNU time's last line (a line before it reports a non-zero status or a signal), as numbers. */
function timeLine(file) {
  if (!existsSync(file)) return null;
  const numbers = readFileSync(file, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(file, { force: true });
  return numbers.some(Number.isNaN) ? null : numbers;
}

/**
 * One run of `command` ({ cmd, args, pipe }) reading `stdinPath`, stdout to `stdoutPath` (default
 * /dev/null): wall seconds, the command's peak RSS in KiB and CPU seconds, cat's CPU seconds when
 * piped, and the exit status (of the command: a pipeline's is its last command's).
 */
export function runOnce(command, stdinPath, { stdoutPath, timed = hasGnuTime } = {}) {
  return new Promise((done, reject) => {
    const tag = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    const [timeFile, catTimeFile] = ['time', 'cat-time'].map((what) => join(tmpdir(), `bench-${what}-${tag}`));
    const out = stdoutPath === undefined ? 'ignore' : openSync(stdoutPath, 'w');
    const fd = command.pipe ? 'ignore' : openSync(stdinPath, 'r');
    let [cmd, args] = [command.cmd, command.args];
    if (command.pipe) {
      [cmd, args] = timed
        ? ['/bin/sh', ['-c', PIPED, 'sh', GNU_TIME, catTimeFile, stdinPath, timeFile, cmd, ...args]]
        : ['/bin/sh', ['-c', PIPED_UNTIMED, 'sh', stdinPath, cmd, ...args]];
    } else if (timed) [cmd, args] = [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, cmd, ...args]];
    let stderr = '';
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: [fd, out, 'pipe'] });
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(0, 400)));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (fd !== 'ignore') closeSync(fd);
      if (out !== 'ignore') closeSync(out);
      const [kib, user, sys] = (timed && timeLine(timeFile)) || [null, null, null];
      const catCpu = command.pipe && timed ? (timeLine(catTimeFile) ?? [null]).reduce((a, b) => a + b) : null;
      done({ seconds, kib, cpu: user === null ? null : user + sys, catCpu, status: signal ?? status, stderr: stderr.trim() });
    });
  });
}

/**
 * The warm-up, which checks the output: exit 0 and the expected row count; for the commands that
 * write holding-pivot's values (CSV, `compare`), a digest of every row's values (CsvDigest).
 * The naive loop and stream.py write other text, so only their lines are counted.
 */
export async function verify(command, path, expectedRows) {
  // Into a file, read after the run: DuckDB's COPY opens /dev/stdout, which fails on a socket (what
  // a spawned child's 'pipe' is).
  const output = join(tmpdir(), `bench-output-${process.pid}`);
  const result = await runOnce(command, path, { stdoutPath: output });
  let rows = 0;
  const csv = new CsvDigest();
  for await (const chunk of createReadStream(output, command.compare ? { encoding: 'utf8' } : {})) {
    if (command.compare) csv.update(chunk);
    else for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows++;
  }
  rmSync(output, { force: true });
  const digest = command.compare ? csv.digest() : null;
  if (command.compare) rows = csv.rows;
  const problems = [];
  if (result.status !== 0) problems.push(`exit status ${result.status} ${result.stderr}`.trim());
  if (csv.error !== null) problems.push(`not CSV: ${csv.error}`);
  if (rows !== expectedRows) problems.push(`${rows} rows, expected ${expectedRows}`);
  return { problems, digest };
}
