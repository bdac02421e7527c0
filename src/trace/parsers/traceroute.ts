// traceroute on Linux (modern traceroute 2.x and inetutils), BSD and macOS (traceroute, traceroute6).
// Commands: `traceroute [-n] [-A] [-q N] HOST`, `traceroute6 HOST`, macOS `traceroute -a HOST`.
// Sample: ` 4  192.171.61.61  23.072 ms 206.248.155.109  17.073 ms 192.171.63.17  23.308 ms`
// Reads: several responders per line or on indented continuation lines, `* * *`, `!H !N !X !P !<500>`,
// `[AS1234]` before or after the host, IPv6, `^C`, `from SRC` in the header, integer ms (4.3BSD).
// Known gaps: a header-less file has no target, so `reached` stays false.
import { canonicalIp, cleanHostName, type TraceParser } from './common.js';
import { parseHopLines } from './hop-line.js';

// 'traceroute to http://google.es  (173.207.22.152), 30 hops max' (jc generic/traceroute1)
// 'traceroute6 to turner-tls.map.fastly.net (2a04:4e42:200::323) from 2600:..., 5 hops max' (jc osx traceroute6)
// 'traceroute to 10.10.10.10 (10.10.10.10)...' (rich-traceroute linux_6)
const HEADER = /^\s*traceroute6?\s+to\s+(\S+)\s+\(([^)]*)\)/i;
const HOP_SHAPE = /^\s*\d{1,3}\s+(?:\*|\[AS|\S+\s+\(|\S+\s+<?\d+(?:\.\d+)?\s*ms\b)/;

export const tracerouteParser: TraceParser = {
  name: 'traceroute',
  description: 'Linux (modern, inetutils), BSD and macOS traceroute / traceroute6',
  commands: ['traceroute', 'traceroute6', 'traceroute -n', 'traceroute -A', 'traceroute -a (macOS)'],
  sample: 'traceroute to 8.8.8.8 (8.8.8.8), 64 hops max, 52 byte packets\n 1  dsldevice (192.168.1.254)  12.070 ms  4.328 ms  4.167 ms\n 2  * * *\n 3  dns.google (8.8.8.8)  30.840 ms  22.503 ms  23.538 ms\n',
  detect(lines) {
    if (lines.some((line) => HEADER.test(line))) return 0.9;
    const hopLines = lines.filter((line) => HOP_SHAPE.test(line) && / ms\b|ms\s|ms$|\*/.test(line) && !/msec/.test(line));
    return hopLines.length > 0 ? 0.5 : 0;
  },
  parse(lines, context) {
    return parseHopLines(lines, context, {
      format: 'traceroute',
      header(line) {
        const match = HEADER.exec(line);
        if (!match) return null;
        const name = match[1] as string;
        const ip = canonicalIp(match[2]);
        return { ip, name: cleanHostName(name, ip) };
      },
      // 'traceroute: Warning: cnn.com has multiple addresses; using 151.101.129.67' (jc osx)
      ignore: (line) => /^\s*traceroute6?:\s/i.test(line),
    });
  },
};
