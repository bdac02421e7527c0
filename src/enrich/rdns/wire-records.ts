// A strict walk over a DNS message's records, beside dns-packet's decoder, for the two
// things that decoder lets through: a record whose RDLENGTH runs past the end of the
// message (it reads what is there and reports the record as fine), and label bytes
// that are not UTF-8 (it turns FF FE 80 into three U+FFFD, losing what the server sent).

/** Compression pointers followed in one name before it counts as a loop. */
export const MAX_POINTERS = 64;
/** RFC 1035 3.1: 255 octets on the wire. */
const MAX_NAME_OCTETS = 255;

export interface WireRecord {
  section: 'answer' | 'authority' | 'additional';
  type: number;
  rdataOffset: number;
  rdataLength: number;
}

export type WireWalk = { ok: true; records: WireRecord[] } | { ok: false; reason: string };

/** Every record's place in the message; fails when a count, name or RDLENGTH does not fit. */
export function walkRecords(message: Uint8Array): WireWalk {
  if (message.length < 12) return { ok: false, reason: 'shorter than a DNS header' };
  const view = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  const counts = [view.readUInt16BE(4), view.readUInt16BE(6), view.readUInt16BE(8), view.readUInt16BE(10)] as const;
  let offset = 12;
  for (let question = 0; question < counts[0]; question++) {
    const end = skipName(view, offset);
    if (end === null || end + 4 > view.length) return { ok: false, reason: 'question runs past the end of the message' };
    offset = end + 4;
  }
  const records: WireRecord[] = [];
  const sections = [['answer', counts[1]], ['authority', counts[2]], ['additional', counts[3]]] as const;
  for (const [section, count] of sections) {
    for (let index = 0; index < count; index++) {
      const end = skipName(view, offset);
      if (end === null || end + 10 > view.length) return { ok: false, reason: `${section} record ${index + 1} runs past the end of the message` };
      const rdataLength = view.readUInt16BE(end + 8);
      const rdataOffset = end + 10;
      if (rdataOffset + rdataLength > view.length) {
        return { ok: false, reason: `${section} record ${index + 1} says its data is ${rdataLength} bytes, past the end of the message` };
      }
      records.push({ section, type: view.readUInt16BE(end), rdataOffset, rdataLength });
      offset = rdataOffset + rdataLength;
    }
  }
  return { ok: true, records };
}

/** Offset just after the name at `offset` (a pointer ends it), or null when it does not fit. */
function skipName(view: Buffer, offset: number): number | null {
  let position = offset;
  for (;;) {
    if (position >= view.length) return null;
    const length = view[position] as number;
    if (length === 0) return position + 1;
    if ((length & 0xc0) === 0xc0) return position + 2 <= view.length ? position + 2 : null;
    if ((length & 0xc0) !== 0) return null;
    position += 1 + length;
  }
}

// RFC 1035 5.1 presentation form: letters, digits, '-' and '_' as they are, every other byte as \DDD.
export const PLAIN_BYTE = new Uint8Array(256);
for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_') PLAIN_BYTE[char.charCodeAt(0)] = 1;

/**
 * The name at `offset` in presentation form, byte for byte as the server sent it
 * (`\255\254\128`, a '.' inside a label as `\046`); null for loops, bad pointers and
 * names over 255 octets.
 */
export function decodeNamePresentation(message: Uint8Array, offset: number): string | null {
  const labels: string[] = [];
  let position = offset;
  let pointers = 0;
  let octets = 1;
  for (;;) {
    if (position >= message.length) return null;
    const length = message[position] as number;
    if (length === 0) break;
    if ((length & 0xc0) === 0xc0) {
      if (position + 1 >= message.length || ++pointers > MAX_POINTERS) return null;
      position = ((length & 0x3f) << 8) | (message[position + 1] as number);
      continue;
    }
    if ((length & 0xc0) !== 0 || position + 1 + length > message.length) return null;
    octets += 1 + length;
    if (octets > MAX_NAME_OCTETS) return null;
    let label = '';
    for (let index = position + 1; index <= position + length; index++) {
      const byte = message[index] as number;
      label += PLAIN_BYTE[byte] ? String.fromCharCode(byte) : `\\${byte.toString().padStart(3, '0')}`;
    }
    labels.push(label);
    position += 1 + length;
  }
  return labels.length === 0 ? '.' : labels.join('.');
}
