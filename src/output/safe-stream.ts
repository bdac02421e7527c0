// The one writer for everything a command prints (stdout tables, stderr messages,
// progress): cli.ts wraps stdout and stderr once, so no message can forget to escape
// attacker text. Our own control sequences (a progress line redrawn in place, colour,
// the TUI's screen) go through trustedWrite, the only way to send a raw ESC.
// The wrapper also remembers a failed write (a full disk behind `> file`), which
// cli.ts turns into a message and an exit code instead of a crash.
import { bytesNeedEscaping, escapeTerminalLine, escapeTerminalText } from './terminal-text.js';

const RAW = Symbol('netsleuth.rawStream');
const FAILURE = Symbol('netsleuth.writeFailure');
const ESCAPED_WRITE = Symbol('netsleuth.escapedWrite');

interface Wrapped {
  [RAW]: NodeJS.WritableStream;
  [FAILURE]: { error: NodeJS.ErrnoException | null };
  [ESCAPED_WRITE]: (chunk: string | Uint8Array, done?: WriteCallback) => boolean;
}

type WriteCallback = (error?: Error | null) => void;

/** A view of `stream` whose write() escapes control characters; everything else is the stream's own. */
export function safeStream<T extends NodeJS.WritableStream>(stream: T): T {
  if ((stream as Partial<Wrapped>)[RAW]) return stream;
  const failure: Wrapped[typeof FAILURE] = { error: null };
  const remember = (error: NodeJS.ErrnoException): void => {
    if (failure.error) return;
    failure.error = error;
    // A writer waiting for 'drain' would wait forever (and node would exit 0 with the
    // promise pending): wake it; its next writes are dropped and return true.
    process.nextTick(() => stream.emit('drain'));
  };
  // A stream with no 'error' listener throws the error at the process; a failed write is
  // reported once by cli.ts instead. (A closed pipe is handled the same way there.)
  stream.on('error', remember);
  const write = (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
    const done = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as WriteCallback | undefined;
    let safe: string | Uint8Array;
    if (typeof chunk === 'string') safe = escapeTerminalText(chunk);
    else if (chunk instanceof Uint8Array) safe = bytesNeedEscaping(chunk) ? escapeTerminalText(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8')) : chunk;
    else safe = escapeTerminalText(String(chunk));
    return send(safe, done);
  };
  const send = (safe: string | Uint8Array, done: WriteCallback | undefined): boolean => {
    if (failure.error) {
      // Nothing more reaches a broken stream; the caller still hears back.
      if (done) queueMicrotask(() => done(failure.error));
      return true;
    }
    try {
      return done ? stream.write(safe, done) : stream.write(safe);
    } catch (error) {
      remember(error as NodeJS.ErrnoException);
      if (done) queueMicrotask(() => done(error as Error));
      return true;
    }
  };
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      if (property === ESCAPED_WRITE) return (text: string | Uint8Array, done?: WriteCallback) => send(text, done);
      if (property === RAW) return target;
      if (property === FAILURE) return failure;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The stream underneath a safeStream (for ink, which draws the screen itself). */
export function rawStream<T extends NodeJS.WritableStream>(stream: T): T {
  return ((stream as Partial<Wrapped>)[RAW] as T | undefined) ?? stream;
}

/**
 * Text already escaped as write() would escape it (escapeTerminalText; a renderer that escapes
 * as it writes): no second scan of megabytes of report, failures handled as write() handles them.
 */
export function escapedWrite(stream: NodeJS.WritableStream, text: string | Uint8Array, done?: WriteCallback): boolean {
  const send = (stream as Partial<Wrapped>)[ESCAPED_WRITE];
  if (send) return send(text, done);
  return done ? stream.write(text, done) : stream.write(text);
}

/** Our own control sequences only (never text from an input): written as they are. */
export function trustedWrite(stream: NodeJS.WritableStream, text: string): void {
  rawStream(stream).write(text);
}

/** The first error a safeStream saw while writing, if any. */
export function writeFailure(stream: NodeJS.WritableStream): NodeJS.ErrnoException | null {
  return (stream as Partial<Wrapped>)[FAILURE]?.error ?? null;
}

/** `netsleuth: warning: TEXT` on stderr, one line whatever TEXT holds. */
export function warn(io: { stderr: NodeJS.WritableStream }, text: string): void {
  io.stderr.write(`netsleuth: warning: ${escapeTerminalLine(text)}\n`);
}

/** `netsleuth: TEXT` on stderr (notes such as "wrote FILE"), one line whatever TEXT holds. */
export function note(io: { stderr: NodeJS.WritableStream }, text: string): void {
  io.stderr.write(`netsleuth: ${escapeTerminalLine(text)}\n`);
}
