import { EXIT } from './exit-codes.js';

/** Writes `text` and resolves once it is written: null, or the error that stopped it. */
function written(out: NodeJS.WritableStream, text: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    out.once('error', resolve);
    out.write(text, (error) => resolve(error ?? null));
  });
}

/**
 * Prints what --help or --version answered and resolves to the status to exit with: `status`, also
 * when the reader went away (| head -1), as for rows; EXIT.io, said on `err`, when it cannot be written.
 */
export async function printAnswer(name: string, text: string, status: number, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const failure = await written(out, text);
  if (failure === null || failure.code === 'EPIPE') return status;
  err.write(`${name}: cannot write the output (${failure.message})\n`);
  return EXIT.io;
}
