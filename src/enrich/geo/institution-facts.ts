// What the AS-name rules and the university list say about every organisation name of the
// embedded ASN index (asNameFacts), computed at install next to the index, so a lookup
// classifies an AS without compiling 450 regexes or loading the 900 kB university list:
//   'NSINSTF1' | u32 LE header length | header JSON | padding to 4
//   offsets    orgCount + 1 u32 LE byte offsets into the facts
//   facts      one encodeAsNameFacts line per organisation id, UTF-8, back to back
// The key covers the index's key and institutionRulesFingerprint(): facts built for other
// data, rules or code are never used (the lookup then classifies the name itself).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKeyWithPlatform, keyDigest } from './asn-index-cache.js';
import { asNameFacts, decodeAsNameFacts, encodeAsNameFacts, institutionRulesFiles, institutionRulesFingerprint, type AsNameFacts, type InstitutionRules } from './institutions.js';
import { PagedFile } from './paged-file.js';
import { writeFileAtomicSync } from '../../output/atomic-write.js';

const MAGIC = 'NSINSTF1';
const FILE_PATTERN = /^institution-facts-[0-9a-f]{16}\.bin$/;

interface FactsHeader {
  key: string;
  orgCount: number;
  factsBytes: number;
}

/** The key facts for the ASN index filed under `asnKey` are filed under. */
export function institutionFactsKey(asnKey: string, fingerprint = institutionRulesFingerprint()): string {
  return `${cacheKeyWithPlatform(asnKey)}|institution rules ${fingerprint}`;
}

/** Beside the facts: the rules fingerprint and the size and time of each file it was hashed from. */
export const RULES_FINGERPRINT_FILE = 'institution-rules-fingerprint.json';

/** Size and modification time of each file the fingerprint hashes: any edit changes one of them. */
function rulesFilesStamp(): string {
  return institutionRulesFiles()
    .map((url) => {
      const info = statSync(url);
      return `${info.size}:${info.mtimeMs}`;
    })
    .join(' ');
}

/**
 * institutionRulesFingerprint() as recorded in `dir` at install when the files are unchanged since
 * (hashing the 900 kB university list costs a one-address lookup more than the lookup), else hashed now.
 */
export function recordedRulesFingerprint(dir: string): string {
  try {
    const recorded = JSON.parse(readFileSync(join(dir, RULES_FINGERPRINT_FILE), 'utf8')) as { stamp?: unknown; fingerprint?: unknown };
    if (recorded.stamp === rulesFilesStamp() && typeof recorded.fingerprint === 'string') return recorded.fingerprint;
  } catch {
    // not recorded (no install step, or a read-only copy): hash the files
  }
  return institutionRulesFingerprint();
}

/** Records the fingerprint for recordedRulesFingerprint(); atomic, and a failure is not an error. */
export function recordRulesFingerprint(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileAtomicSync(join(dir, RULES_FINGERPRINT_FILE), `${JSON.stringify({ stamp: rulesFilesStamp(), fingerprint: institutionRulesFingerprint() })}\n`);
  } catch {
    // not recorded: the next start computes the fingerprint itself
  }
}

export function institutionFactsFileName(factsKey: string): string {
  return `institution-facts-${keyDigest(factsKey)}.bin`;
}

/** One encoded line per organisation name ('' for the empty name). */
export function buildInstitutionFacts(orgNames: readonly string[], rules?: InstitutionRules): string[] {
  return orgNames.map((name) => (name === '' ? '' : encodeAsNameFacts(asNameFacts(name, rules))));
}

function offsetsStart(headerLength: number): number {
  const end = MAGIC.length + 4 + headerLength;
  return end + ((4 - (end % 4)) % 4);
}

export function serializeInstitutionFacts(lines: readonly string[], factsKey: string): Buffer {
  const encoded = lines.map((line) => Buffer.from(line, 'utf8'));
  const factsBytes = encoded.reduce((sum, bytes) => sum + bytes.length, 0);
  const header = Buffer.from(JSON.stringify({ key: factsKey, orgCount: lines.length, factsBytes } satisfies FactsHeader), 'utf8');
  const start = offsetsStart(header.length);
  const out = Buffer.alloc(start + (lines.length + 1) * 4 + factsBytes);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  let at = start + (lines.length + 1) * 4;
  for (let id = 0; id < encoded.length; id++) {
    out.writeUInt32LE(at, start + id * 4);
    at += (encoded[id] as Buffer).copy(out, at);
  }
  out.writeUInt32LE(at, start + lines.length * 4);
  return out;
}

export interface InstitutionFactsTable {
  /** The facts of an organisation id, or null (out of range, or a damaged entry: classify the name instead). */
  factsOf(orgId: number): AsNameFacts | null;
  close(): void;
}

/** The facts file at `path` when it is for `factsKey` and an index of `orgCount` names; else null. */
export function openInstitutionFacts(path: string, factsKey: string, orgCount: number): InstitutionFactsTable | null {
  let file: PagedFile;
  try {
    file = new PagedFile(path);
  } catch {
    return null;
  }
  try {
    if (file.size < MAGIC.length + 4 || file.bytes(0, MAGIC.length).toString('latin1') !== MAGIC) throw new Error('not a facts file');
    const headerLength = file.bytes(MAGIC.length, 4).readUInt32LE(0);
    if (MAGIC.length + 4 + headerLength > file.size) throw new Error('truncated');
    const header = JSON.parse(file.bytes(MAGIC.length + 4, headerLength).toString('utf8')) as FactsHeader;
    const start = offsetsStart(headerLength);
    if (header.key !== factsKey || header.orgCount !== orgCount || start + (orgCount + 1) * 4 + header.factsBytes !== file.size) throw new Error('other key');
  } catch {
    file.close();
    return null;
  }
  const start = offsetsStart(file.bytes(MAGIC.length, 4).readUInt32LE(0));
  return {
    factsOf(orgId) {
      if (!(orgId >= 0 && orgId < orgCount)) return null;
      try {
        const span = file.bytes(start + orgId * 4, 8);
        const from = span.readUInt32LE(0);
        const to = span.readUInt32LE(4);
        if (to <= from) return null;
        return decodeAsNameFacts(file.bytes(from, to - from).toString('utf8'));
      } catch {
        return null;
      }
    },
    close() {
      file.close();
    },
  };
}

/** Write atomically next to the index, then remove facts files of other keys there. */
export function writeInstitutionFacts(dir: string, factsKey: string, lines: readonly string[]): string {
  const name = institutionFactsFileName(factsKey);
  const target = join(dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(target, serializeInstitutionFacts(lines, factsKey));
  for (const other of readdirSync(dir)) if (other !== name && FILE_PATTERN.test(other)) rmSync(join(dir, other), { force: true });
  return target;
}
