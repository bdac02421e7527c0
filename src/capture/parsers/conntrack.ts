// conntrack-tools text: `conntrack -L` (the flow table), `conntrack -E` (the event stream, with
// `-o timestamp` too), and the old /proc/net/ip_conntrack, which prints the same line.
// Samples:
//   tcp      6 431982 ESTABLISHED src=192.168.2.100 dst=198.51.100.17 sport=34846 dport=993 packets=169 bytes=14322
//       src=198.51.100.17 dst=203.0.113.2 sport=993 dport=34846 packets=113 bytes=34787 [ASSURED] mark=0 use=1
//   [1696000000.123456]	    [NEW] tcp      6 120 SYN_SENT src=... [UNREPLIED] src=...
//   conntrack v1.4.6 (conntrack-tools): 2 flow entries have been shown.
// Table rows become one connection each; the events of one flow (by id with -o id, else by its
// original tuple) become one connection carrying the last state seen and the event count.
// Known gaps: as nf-conntrack (portless flows skipped); no real capture of this text was at hand,
// samples/captures/conntrack-L.txt is synthetic (samples/SOURCES.md).
import { rowMatchRatio } from '../build-connection.js';
import { CONNTRACK_FOOTER, FLOW_LINE, PROC_FLOW_LINE } from '../conntrack-line.js';
import type { CaptureFormat } from '../parser-types.js';
import { createConntrackTextParser } from './nf-conntrack.js';

export function detectConntrack(sample: string): number {
  const { ratio, rows } = rowMatchRatio(
    sample,
    (line) => line.trim().length > 0 && !CONNTRACK_FOOTER.test(line.trim()),
    // Lines /proc/net/nf_conntrack would print too are that format's: score them apart.
    (line) => FLOW_LINE.test(line.trim()) && !PROC_FLOW_LINE.test(line),
  );
  return rows === 0 ? 0 : Math.min(1, ratio);
}

export const conntrack: CaptureFormat = {
  name: 'conntrack',
  title: 'conntrack -L / -E text (and the old /proc/net/ip_conntrack)',
  commands: ['conntrack -L', 'conntrack -E', 'conntrack -E -o timestamp', 'cat /proc/net/ip_conntrack'],
  sample: [
    'tcp      6 431982 ESTABLISHED src=192.168.2.100 dst=198.51.100.17 sport=34846 dport=993 packets=169 bytes=14322 src=198.51.100.17 dst=203.0.113.2 sport=993 dport=34846 packets=113 bytes=34787 [ASSURED] mark=0 use=1',
    'udp      17 29 src=192.168.2.100 dst=198.51.100.53 sport=51011 dport=53 [UNREPLIED] src=198.51.100.53 dst=203.0.113.2 sport=53 dport=51011 mark=0 use=1',
    'conntrack v1.4.6 (conntrack-tools): 2 flow entries have been shown.',
  ].join('\n'),
  detect: detectConntrack,
  createParser: createConntrackTextParser,
};
