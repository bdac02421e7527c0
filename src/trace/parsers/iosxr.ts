// Cisco IOS-XR / IOS `traceroute` as printed on the router CLI.
// Sample: ' 5  1.2.1.2 125 msec  *' then a continuation responder '    1.2.2.1 120 msec'.
// Header: 'Tracing the route to 8.8.8.8' after a timestamp and 'Type escape sequence to abort.'
// Reads IOS '[AS 123]' tags and drops '[MPLS: Label ...]'. Known gap: no `reached` without the header.
import { canonicalIp, cleanHostName, type TraceParser } from './common.js';
import { parseHopLines } from './hop-line.js';

const HEADER = /^\s*Tracing the route to\s+(\S+)(?:\s+\(([^)]*)\))?/i;

export const iosxrParser: TraceParser = {
  name: 'iosxr',
  description: 'Cisco IOS-XR / IOS router traceroute (msec units)',
  commands: ['traceroute (IOS-XR)', 'traceroute (IOS)'],
  sample: 'Type escape sequence to abort.\nTracing the route to 8.8.8.8\n\n 1  1.2.3.4 1 msec  0 msec  0 msec\n 2   *  *  *\n',
  detect(lines) {
    if (lines.some((line) => HEADER.test(line))) return 0.95;
    return lines.some((line) => /^\s*\d{1,3}\s+\S+.*\d\s+msec\b/.test(line)) ? 0.7 : 0;
  },
  parse(lines, context) {
    return parseHopLines(lines, context, {
      format: 'iosxr',
      header(line) {
        const match = HEADER.exec(line);
        if (!match) return null;
        const first = match[1] as string;
        const ip = canonicalIp(match[2]) ?? canonicalIp(first);
        return { ip, name: canonicalIp(first) === null ? cleanHostName(first, ip) : null };
      },
      // 'Sun Feb  7 10:10:49.532 utc' and 'Type escape sequence to abort.' (rich-traceroute iosxr_1)
      ignore: (line) => /^\s*(Type escape sequence|VRF info|[A-Z][a-z]{2} [A-Z][a-z]{2}\s+\d+ \d+:\d+)/.test(line),
    });
  },
};
