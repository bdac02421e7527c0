// Walks an mmdb search tree for an address given as integers: the same walk
// `maxmind` does (MaxMind DB spec, "Search Tree Section"), minus its per-call string
// parsing. The result identifies the data record (its pointer), so the caller can map
// each record once and reuse the mapping; records are still decoded by `maxmind` itself.

export interface TreeShape {
  nodeCount: number;
  recordSize: number;
  ipVersion: number;
}

/** (ipv4 as unsigned int) -> data pointer (> nodeCount), or -1 when the address has no record. */
export type Ipv4Walker = (value: number) => number;

/** (ipv6 as four 32-bit words) -> data pointer, or -1. Only for IPv6 trees. */
export type Ipv6Walker = (words: readonly number[]) => number;

export interface TreeWalkers {
  v4: Ipv4Walker;
  v6: Ipv6Walker | null;
}

/** Walkers for the tree, or null for a record size the spec does not define. */
export function createTreeWalkers(db: Buffer, shape: TreeShape): TreeWalkers | null {
  const { nodeCount, recordSize } = shape;
  let left: (node: number) => number;
  let right: (node: number) => number;
  if (recordSize === 24) {
    left = (node) => {
      const o = node * 6;
      return ((db[o] as number) << 16) | ((db[o + 1] as number) << 8) | (db[o + 2] as number);
    };
    right = (node) => {
      const o = node * 6 + 3;
      return ((db[o] as number) << 16) | ((db[o + 1] as number) << 8) | (db[o + 2] as number);
    };
  } else if (recordSize === 28) {
    left = (node) => {
      const o = node * 7;
      return ((((db[o + 3] as number) & 0xf0) << 20) | ((db[o] as number) << 16) | ((db[o + 1] as number) << 8) | (db[o + 2] as number)) >>> 0;
    };
    right = (node) => {
      const o = node * 7;
      return ((((db[o + 3] as number) & 0x0f) << 24) | ((db[o + 4] as number) << 16) | ((db[o + 5] as number) << 8) | (db[o + 6] as number)) >>> 0;
    };
  } else if (recordSize === 32) {
    left = (node) => db.readUInt32BE(node * 8);
    right = (node) => db.readUInt32BE(node * 8 + 4);
  } else {
    return null;
  }
  // IPv6 trees keep IPv4 under ::/96: follow 96 left branches once.
  let start = 0;
  if (shape.ipVersion === 6) {
    for (let depth = 0; depth < 96 && start < nodeCount; depth++) start = left(start);
  }
  const ipv4Start = start;
  const v4: Ipv4Walker = (value) => {
    let node = ipv4Start;
    for (let bit = 31; bit >= 0 && node < nodeCount; bit--) node = (value >>> bit) & 1 ? right(node) : left(node);
    return node > nodeCount ? node : -1;
  };
  const v6: Ipv6Walker | null =
    shape.ipVersion === 6
      ? (words) => {
          let node = 0;
          for (let word = 0; word < 4 && node < nodeCount; word++) {
            const value = words[word] as number;
            for (let bit = 31; bit >= 0 && node < nodeCount; bit--) node = (value >>> bit) & 1 ? right(node) : left(node);
          }
          return node > nodeCount ? node : -1;
        }
      : null;
  return { v4, v6 };
}

export function createIpv4Walker(db: Buffer, shape: TreeShape): Ipv4Walker | null {
  return createTreeWalkers(db, shape)?.v4 ?? null;
}
