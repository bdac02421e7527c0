// Bytes in arbitrary chunks -> whole lines as (buffer, start, end) views, without a string per
// line. Only a partial line is copied between chunks. A line longer than MAX_LINE_BYTES is cut
// there (the rest up to its newline is dropped) so a newline-free binary file cannot grow memory.
export const MAX_LINE_BYTES = 64 * 1024;

export interface ByteLineHandler {
  /** [start, end) excludes the '\n' and a trailing '\r'. */
  byteLine(buffer: Uint8Array, start: number, end: number): void;
}

export class LineAssembler {
  private partial: Buffer | null = null;
  private dropping = false;
  /** Bytes of the chunks before the current one. */
  private consumed = 0;
  /** Where the pending partial line started. */
  private partialOffset = 0;
  /** Byte offset in the whole stream of the line being handed to byteLine (drill-down reads it back there). */
  lineOffset = 0;

  constructor(private readonly handler: ByteLineHandler) {}

  write(chunk: Uint8Array): void {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    if (this.partial !== null || this.dropping) {
      const newline = buffer.indexOf(10);
      if (newline < 0) {
        this.consumed += buffer.length;
        this.appendPartial(buffer);
        return;
      }
      this.appendPartial(buffer.subarray(0, newline));
      this.flushPartial();
      start = newline + 1;
    }
    const length = buffer.length;
    const consumed = this.consumed;
    this.consumed += length;
    while (start < length) {
      const newline = buffer.indexOf(10, start);
      if (newline < 0) {
        this.partialOffset = consumed + start;
        this.appendPartial(buffer.subarray(start));
        return;
      }
      this.lineOffset = consumed + start;
      this.emit(buffer, start, newline);
      start = newline + 1;
    }
  }

  /** A last line without a newline (truncated capture) still counts. */
  end(): void {
    if (this.partial !== null) this.flushPartial();
    this.dropping = false;
  }

  private emit(buffer: Uint8Array, start: number, end: number): void {
    if (end > start && buffer[end - 1] === 13) end--;
    if (end - start > MAX_LINE_BYTES) end = start + MAX_LINE_BYTES;
    this.handler.byteLine(buffer, start, end);
  }

  private appendPartial(bytes: Buffer): void {
    if (this.dropping) return;
    const have = this.partial?.length ?? 0;
    const room = MAX_LINE_BYTES + 1 - have;
    const take = bytes.subarray(0, Math.max(0, room));
    this.partial = this.partial === null ? Buffer.from(take) : Buffer.concat([this.partial, take]);
    if (bytes.length > room) this.dropping = true;
  }

  private flushPartial(): void {
    const line = this.partial ?? Buffer.alloc(0);
    this.partial = null;
    this.dropping = false;
    this.lineOffset = this.partialOffset;
    this.emit(line, 0, line.length);
  }
}
