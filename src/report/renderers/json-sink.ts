// JSON text written straight to UTF-8 buffers: strings are quoted the way JSON.stringify quotes
// them and, for a terminal, escaped the way escapeTerminalText escapes JSON text, both in one pass
// over the string's characters. A report on 50k remotes is about 75 MB of JSON: building it as
// strings first (then joining and encoding them) cost several times the writing itself.

/** Bytes per buffer handed out. */
export const JSON_BUFFER_BYTES = 64 * 1024;

const HEX = '0123456789abcdef';
/** Bounds of repeatedString's table: distinct strings kept, and the longest one kept. */
const REPEATED_STRINGS = 65536;
const REPEATED_LENGTH = 512;
const REPEATED_SHORTEST = 16;
/** Above the longest quoted string kept (6 bytes per character at most, and the quotes). */
const SLAB_LENGTH_UNIT = 4096;

/**
 * Characters escapeTerminalText writes as `\uXXXX` that JSON.stringify leaves as they are: DEL,
 * C1 controls and the bidi / line-separator controls (C0 controls JSON escapes already).
 */
function isTerminalUnsafe(code: number): boolean {
  return (code >= 0x7f && code <= 0x9f) || code === 0x61c || code === 0x200e || code === 0x200f || (code >= 0x2028 && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/** Written buffers kept for the next sink piece: new memory is slow to touch, a written buffer is not. */
const SPARE_BUFFERS = 16;
const spareBuffers: Buffer[] = [];
/** The buffers sinks made (only those are ever reused: a caller's own bytes are never written over). */
const sinkBuffers = new WeakSet<ArrayBuffer>();

function sinkBuffer(): Buffer {
  const buffer = spareBuffers.pop() ?? Buffer.allocUnsafeSlow(JSON_BUFFER_BYTES);
  sinkBuffers.add(buffer.buffer as ArrayBuffer);
  return buffer;
}

/** A piece a sink handed out, now written and no longer needed by the writer: its buffer may be reused. */
export function releaseJsonBuffer(piece: Uint8Array): void {
  const whole = piece.buffer;
  if (!(whole instanceof ArrayBuffer) || !sinkBuffers.has(whole) || spareBuffers.length >= SPARE_BUFFERS) return;
  // Taken out of the set so a piece released twice cannot be handed out twice.
  sinkBuffers.delete(whole);
  spareBuffers.push(Buffer.from(whole, 0, JSON_BUFFER_BYTES));
}

export class JsonSink {
  readonly #terminalSafe: boolean;
  #buffer: Buffer;
  #used = 0;
  /** Filled buffers not taken yet. */
  #ready: Uint8Array[] = [];
  /** repeatedString's bytes by text: where they are in the slab, as offset * SLAB_LENGTH_UNIT + length. */
  readonly #repeated = new Map<string, number>();
  #slab = new Uint8Array(64 * 1024);
  #slabUsed = 0;

  constructor(terminalSafe: boolean) {
    this.#terminalSafe = terminalSafe;
    this.#buffer = sinkBuffer();
  }

  /** Room for `bytes` more; a piece larger than a buffer gets a buffer of its own size. */
  #room(bytes: number): void {
    if (this.#used + bytes <= this.#buffer.length) return;
    this.#flush();
    if (bytes > this.#buffer.length) this.#buffer = Buffer.allocUnsafeSlow(bytes);
  }

  #flush(): void {
    if (this.#used === 0) return;
    this.#ready.push(this.#buffer.subarray(0, this.#used));
    this.#buffer = sinkBuffer();
    this.#used = 0;
  }

  /** How many filled buffers wait to be taken. */
  get filled(): number {
    return this.#ready.length;
  }

  /** The buffers filled so far (with `all`, the one being filled too). */
  take(all = false): Uint8Array[] {
    if (all) this.#flush();
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }

  /** ASCII text written as it is (keys, punctuation, indentation, numbers). */
  ascii(text: string): void {
    const length = text.length;
    this.#room(length);
    const buffer = this.#buffer;
    let at = this.#used;
    for (let i = 0; i < length; i++) buffer[at++] = text.charCodeAt(i);
    this.#used = at;
  }

  /** JSON text made elsewhere (JSON.stringify), escaped for a terminal when the sink is. */
  json(text: string): void {
    this.#room(text.length * 6);
    if (!this.#terminalSafe) {
      this.#used += this.#buffer.write(text, this.#used, 'utf8');
      return;
    }
    // JSON text holds no C0 control and no lone surrogate (JSON.stringify escapes them), and it
    // never needs a quote or backslash escaped again: only the terminal's characters change.
    this.#characters(text, false);
  }

  /** A number as JSON.stringify writes it. */
  number(value: number): void {
    if (value >= 0 && value <= 0x7fffffff && (value | 0) === value) {
      this.#room(10);
      const buffer = this.#buffer;
      let at = this.#used;
      if (value < 10) buffer[at++] = 48 + value;
      else {
        let digits = 1;
        for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
        at += digits;
        let rest = value;
        for (let i = 1; i <= digits; i++) {
          buffer[at - i] = 48 + (rest % 10);
          rest = (rest / 10) | 0;
        }
      }
      this.#used = at;
      return;
    }
    this.ascii(Number.isFinite(value) ? String(value) : 'null');
  }

  /**
   * A string that recurs across remotes (a country, an AS name, an institution's evidence): its bytes
   * are made once and copied after that.
   */
  repeatedString(text: string): void {
    // A short one is written as fast as it is looked up.
    if (text.length < REPEATED_SHORTEST) {
      this.string(text);
      return;
    }
    const known = this.#repeated.get(text);
    if (known === undefined) {
      // Room first: the bytes kept are read back from where they were written.
      this.#room(text.length * 6 + 2);
      const from = this.#used;
      this.string(text);
      if (this.#repeated.size < REPEATED_STRINGS && text.length <= REPEATED_LENGTH) this.#keep(text, from);
      return;
    }
    const slab = this.#slab;
    let from = Math.floor(known / SLAB_LENGTH_UNIT);
    const end = from + (known % SLAB_LENGTH_UNIT);
    this.#room(end - from);
    const buffer = this.#buffer;
    let at = this.#used;
    while (from < end) buffer[at++] = slab[from++]!;
    this.#used = at;
  }

  /** Keeps the bytes just written from `from` for `text` (one slab for all of them). */
  #keep(text: string, from: number): void {
    const length = this.#used - from;
    if (this.#slabUsed + length > this.#slab.length) {
      const grown = new Uint8Array(Math.max(this.#slab.length * 2, this.#slabUsed + length));
      grown.set(this.#slab.subarray(0, this.#slabUsed));
      this.#slab = grown;
    }
    this.#slab.set(this.#buffer.subarray(from, this.#used), this.#slabUsed);
    this.#repeated.set(text, this.#slabUsed * SLAB_LENGTH_UNIT + length);
    this.#slabUsed += length;
  }

  /** A string, quoted as JSON.stringify quotes it. */
  string(text: string): void {
    this.#room(text.length * 6 + 2);
    this.#buffer[this.#used++] = 0x22;
    this.#characters(text, true);
    this.#buffer[this.#used++] = 0x22;
  }

  /** The characters of `text` as UTF-8; with `quote`, the escapes a JSON string needs. Room is reserved by the caller. */
  #characters(text: string, quote: boolean): void {
    const buffer = this.#buffer;
    const terminalSafe = this.#terminalSafe;
    const length = text.length;
    let at = this.#used;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x20 && code < 0x7f) {
        if (quote && (code === 0x22 || code === 0x5c)) buffer[at++] = 0x5c;
        buffer[at++] = code;
        continue;
      }
      let escaped = -1;
      if (code < 0x20) {
        if (!quote) {
          buffer[at++] = code;
          continue;
        }
        const short = code === 8 ? 0x62 : code === 9 ? 0x74 : code === 10 ? 0x6e : code === 12 ? 0x66 : code === 13 ? 0x72 : 0;
        if (short !== 0) {
          buffer[at++] = 0x5c;
          buffer[at++] = short;
          continue;
        }
        escaped = code;
      } else if (terminalSafe && isTerminalUnsafe(code)) {
        escaped = code;
      } else if (code >= 0xd800 && code <= 0xdfff) {
        const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          buffer[at++] = 0xf0 | (point >> 18);
          buffer[at++] = 0x80 | ((point >> 12) & 0x3f);
          buffer[at++] = 0x80 | ((point >> 6) & 0x3f);
          buffer[at++] = 0x80 | (point & 0x3f);
          i++;
          continue;
        }
        escaped = code;
      }
      if (escaped >= 0) {
        buffer[at++] = 0x5c;
        buffer[at++] = 0x75;
        buffer[at++] = HEX.charCodeAt(escaped >> 12);
        buffer[at++] = HEX.charCodeAt((escaped >> 8) & 15);
        buffer[at++] = HEX.charCodeAt((escaped >> 4) & 15);
        buffer[at++] = HEX.charCodeAt(escaped & 15);
      } else if (code < 0x80) {
        buffer[at++] = code;
      } else if (code < 0x800) {
        buffer[at++] = 0xc0 | (code >> 6);
        buffer[at++] = 0x80 | (code & 0x3f);
      } else {
        buffer[at++] = 0xe0 | (code >> 12);
        buffer[at++] = 0x80 | ((code >> 6) & 0x3f);
        buffer[at++] = 0x80 | (code & 0x3f);
      }
    }
    this.#used = at;
  }
}
