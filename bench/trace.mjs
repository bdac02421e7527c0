#!/usr/bin/env node
// Trace parsing and attribution speed: N saved traceroutes (30 hops, 3 probes, names and `* * *`)
// concatenated in one file, beside a baseline measured in the same run:
//   split      split the text into lines and run one hop-line regex over each (the floor any parser pays)
//   parse      parseTraceText (auto-detection + the traceroute parser)
//   attribute  parse + attributePath + traceVerdict for every path, with a table GeoLookup
// Goal: 10k traces (300k hop lines) parse in under 5 s on the project machine (a real case is tens
// to hundreds of traces; GC of the retained probe objects dominates the profile).
// Usage: npm run build && node bench/trace.mjs [traces]
import { prng } from './lib/prng.mjs';

const TRACES = Number(process.argv[2] ?? 10_000) || 10_000;
const DIST = new URL('../dist/', import.meta.url);
const { parseTraceText } = await import(new URL('trace/parse.js', DIST));
const { attributePath } = await import(new URL('trace/attribute.js', DIST));
const { traceVerdict } = await import(new URL('trace/verdict.js', DIST));


const random = prng(5);
const octet = () => Math.floor(random() * 254) + 1;
const lines = [];
for (let trace = 0; trace < TRACES; trace++) {
  const target = `147.46.${octet()}.${octet()}`;
  lines.push(`traceroute to ${target} (${target}), 30 hops max, 60 byte packets`);
  for (let ttl = 1; ttl <= 30; ttl++) {
    if (random() < 0.2) lines.push(`${String(ttl).padStart(2)}  * * *`);
    else {
      const ip = `112.174.${octet()}.${octet()}`;
      lines.push(`${String(ttl).padStart(2)}  sel-core-${ttl}.kt.co.kr (${ip})  ${(random() * 50).toFixed(3)} ms  ${(random() * 50).toFixed(3)} ms  ${(random() * 50).toFixed(3)} ms`);
    }
  }
}
const text = lines.join('\n') + '\n';
const geo = { sources: [], lookup: (ip) => ({ ip, special: null, country: ip.startsWith('147.46.') || ip.startsWith('112.174.') ? 'KR' : null, countryName: null, region: null, city: null, latitude: null, longitude: null, asn: ip.startsWith('112.174.') ? 4766 : 9488, asOrg: null, isp: null, organization: null, registeredCountry: null, institution: null, sources: {} }) };

function measure(name, fn) {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = fn();
  const ms = performance.now() - started;
  const heapMb = (process.memoryUsage().heapUsed - before) / 1e6;
  console.log(`${name.padEnd(10)} ${ms.toFixed(0).padStart(7)} ms  ${heapMb.toFixed(0).padStart(6)} MB heap delta  ${result}`);
  return ms;
}

console.log(`${TRACES} traces, ${lines.length} lines, ${(text.length / 1e6).toFixed(1)} MB`);
measure('split', () => {
  let matched = 0;
  for (const line of text.split('\n')) if (/^\s*\d{1,3}\s+\S/.test(line)) matched++;
  return `${matched} hop lines`;
});
let paths = [];
const parseMs = measure('parse', () => {
  const result = parseTraceText(text, { file: 'bench' });
  paths = result.paths;
  return `${paths.length} paths, ${result.diagnostics.length} diagnostics`;
});
measure('attribute', () => {
  let verdicts = 0;
  for (const path of paths) {
    const attribution = attributePath(path, geo);
    if (path.target.ip) traceVerdict(path.target.ip, geo.lookup(path.target.ip), path, attribution.hops) && verdicts++;
  }
  return `${verdicts} verdicts`;
});
console.log(`goal: parse <= 5000 ms per 10k traces: ${parseMs <= 5000 * (TRACES / 10_000) ? 'met' : 'NOT met'}`);
