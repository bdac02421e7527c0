// Reads the capture lines that mention each remote back from the inputs, for the abuse
// drafts' evidence, and our own address(es) from those lines. Inputs read from a pipe
// (or gone since) give no lines; the drafts say so.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Report } from '../model/report.js';
import { isWildcardAddress } from '../net/ip.js';
import { extractAddresses } from '../net/extract-addresses.js';
import type { EvidenceLine } from './abuse-drafts.js';

const MAX_LINES_PER_ADDRESS = 5;
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export function collectEvidence(report: Report, addresses: readonly string[], cwd: string): { evidence: Map<string, EvidenceLine[]>; localAddresses: string[] } {
  const wanted = new Set(addresses);
  const evidence = new Map<string, EvidenceLine[]>();
  const locals = new Map<string, number>();
  const files = [...new Set(report.inputs.map((input) => input.snapshot?.file ?? input.path))].filter((file) => file !== '-' && file !== '<stdin>');
  for (const file of files) {
    let text: string;
    try {
      let bytes = readFileSync(resolve(cwd, file));
      if (bytes.length > MAX_INPUT_BYTES) continue;
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes, { maxOutputLength: MAX_INPUT_BYTES });
      text = bytes.toString('utf8');
    } catch {
      continue;
    }
    const lines = text.split(/\r?\n/);
    lines.forEach((line, index) => {
      if (line.length > 2000) return;
      const found = extractAddresses(line);
      const remote = found.find((address) => wanted.has(address));
      if (!remote) return;
      const list = evidence.get(remote) ?? [];
      if (list.length < MAX_LINES_PER_ADDRESS) {
        list.push({ file, line: index + 1, text: line });
        evidence.set(remote, list);
      }
      // The other end of a connection row is ours.
      for (const address of found) if (address !== remote && !isWildcardAddress(address)) locals.set(address, (locals.get(address) ?? 0) + 1);
    });
  }
  const localAddresses = [...locals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3).map(([address]) => address);
  return { evidence, localAddresses };
}
