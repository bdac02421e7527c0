// A minimal MaxMind DB writer for tests: an IPv4 tree (24-bit records) whose prefixes map
// to flat records of strings and unsigned integers, enough for an ASN database with the
// names a test needs (hostile, wide, emoji). Format: https://maxmind.github.io/MaxMind-DB/
type Value = string | number | Value[] | { [key: string]: Value };

function controlBytes(type: number, size: number): Buffer {
  const extended = type > 7;
  const first = (extended ? 0 : type << 5);
  const sizeBytes: number[] = [];
  let sizeBits: number;
  if (size < 29) sizeBits = size;
  else if (size < 285) (sizeBits = 29), sizeBytes.push(size - 29);
  else if (size < 65_821) (sizeBits = 30), sizeBytes.push((size - 285) >> 8, (size - 285) & 255);
  else (sizeBits = 31), sizeBytes.push((size - 65_821) >> 16, ((size - 65_821) >> 8) & 255, (size - 65_821) & 255);
  return Buffer.from([first | sizeBits, ...(extended ? [type - 7] : []), ...sizeBytes]);
}

function encode(value: Value): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([controlBytes(2, bytes.length), bytes]);
  }
  if (typeof value === 'number') {
    const bytes: number[] = [];
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    return Buffer.concat([controlBytes(bytes.length <= 4 ? 6 : 9, bytes.length), Buffer.from(bytes)]);
  }
  if (Array.isArray(value)) return Buffer.concat([controlBytes(11, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([controlBytes(7, entries.length), ...entries.flatMap(([key, item]) => [encode(key), encode(item)])]);
}

export interface MmdbEntry {
  /** An IPv4 prefix, `203.0.113.0/24`. */
  prefix: string;
  record: Record<string, string | number>;
}

/** The bytes of a `databaseType` database (ip_version 4) holding these prefixes. */
export function buildMmdb(databaseType: string, entries: readonly MmdbEntry[]): Buffer {
  const nodes: [number, number][] = [[-1, -1]];
  const data: Buffer[] = [];
  let dataSize = 0;
  const pending: { node: number; side: 0 | 1; offset: number }[] = [];
  for (const { prefix, record } of entries) {
    const [address = '', lengthText = '32'] = prefix.split('/');
    const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
    const length = Number(lengthText);
    let node = 0;
    for (let bit = 0; bit < length - 1; bit++) {
      const side = ((value >>> (31 - bit)) & 1) as 0 | 1;
      let next = nodes[node]![side];
      if (next < 0) {
        next = nodes.push([-1, -1]) - 1;
        nodes[node]![side] = next;
      }
      node = next;
    }
    const encoded = encode(record);
    pending.push({ node, side: ((value >>> (32 - length)) & 1) as 0 | 1, offset: dataSize });
    data.push(encoded);
    dataSize += encoded.length;
  }
  const nodeCount = nodes.length;
  const records = nodes.map(([left, right]) => [left < 0 ? nodeCount : left, right < 0 ? nodeCount : right] as [number, number]);
  for (const { node, side, offset } of pending) records[node]![side] = nodeCount + 16 + offset;
  const tree = Buffer.alloc(nodeCount * 6);
  records.forEach(([left, right], index) => {
    tree.writeUIntBE(left, index * 6, 3);
    tree.writeUIntBE(right, index * 6 + 3, 3);
  });
  const metadata = encode({
    node_count: nodeCount,
    record_size: 24,
    ip_version: 4,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_700_000_000,
    description: { en: `${databaseType} written by a test` },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1'), metadata]);
}
