// Progress for long batches: a tracker that computes rate and ETA, and a
// one-line stderr printer for terminals (silent when stderr is not a TTY, so
// logs and pipes never fill with carriage returns).
import type { RdnsProgress } from '../../model/services.js';
import { trustedWrite } from '../../output/safe-stream.js';
import { escapeTerminalLine } from '../../output/terminal-text.js';

export function progressAt(done: number, total: number, elapsedMs: number): RdnsProgress {
  const ratePerSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const remaining = total - done;
  const etaSeconds = remaining === 0 ? 0 : ratePerSecond > 0 ? remaining / ratePerSecond : null;
  return { done, total, ratePerSecond, etaSeconds };
}

/** The progress line of every command and the TUI's status bar (which says 'rDNS' for room). */
export function formatProgress(progress: RdnsProgress, label = 'reverse DNS'): string {
  const eta = progress.etaSeconds === null ? '?' : `${Math.ceil(progress.etaSeconds)}s`;
  return `${label} ${progress.done}/${progress.total}  ${Math.round(progress.ratePerSecond)}/s  ETA ${eta}`;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A progress callback that redraws one stderr line; a no-op unless the stream is a TTY. */
export function createStderrProgress(stream: ProgressStream): (progress: RdnsProgress) => void {
  if (stream.isTTY !== true) return () => undefined;
  return (progress) => {
    // Our redraw sequence, then numbers only: one raw write keeps the line whole.
    trustedWrite(stream as NodeJS.WritableStream, `\r\u001b[2K${escapeTerminalLine(formatProgress(progress))}${progress.done === progress.total ? '\n' : ''}`);
  };
}
