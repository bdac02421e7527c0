// Linux /proc/net/nf_conntrack (and `conntrack -L -o extended`, which prints the same lines):
// one tracked flow per line, the layer-3 name and number first.
// Sample (conntrackr's Kubernetes node):
//   ipv4     2 tcp      6 86378 ESTABLISHED src=172.25.111.120 dst=172.25.111.120 sport=34770 dport=2379
//       src=172.25.111.120 dst=172.25.111.120 sport=2379 dport=34770 [ASSURED] mark=0 zone=0 use=2
// Each flow becomes a connection from the original source to its destination; the reply tuple
// (where NAT shows), flags, mark/zone and packets/bytes (with nf_conntrack_acct=1) are kept.
// Which side is remote for a gateway is decided after parsing (gateway-sides.ts, --local-net).
// Known gaps: icmp, gre and other portless flows are reported as skipped (connections are tcp/udp);
// the old /proc/net/ip_conntrack has no layer-3 pair and is detected as `conntrack` (same grammar).
import { rowMatchRatio, diagnosticFor } from '../build-connection.js';
import { FlowCollector } from '../conntrack-flows.js';
import { CONNTRACK_FOOTER, FLOW_LINE, PROC_FLOW_LINE, parseConntrackLine } from '../conntrack-line.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';

export function detectNfConntrack(sample: string): number {
  const { ratio, rows } = rowMatchRatio(sample, (line) => line.trim().length > 0 && !CONNTRACK_FOOTER.test(line.trim()), (line) => PROC_FLOW_LINE.test(line));
  return rows === 0 ? 0 : Math.min(1, ratio);
}

/** The line parser both text conntrack formats use. */
export function createConntrackTextParser(file: string, sink: ParseSink): LineParser {
  const flows = new FlowCollector(file, sink);
  return {
    line(text, lineNumber) {
      const line = text.trim();
      if (line.length === 0 || CONNTRACK_FOOTER.test(line)) return;
      if (!FLOW_LINE.test(line)) {
        sink.diagnostic(diagnosticFor(file, lineNumber, text, 'not a conntrack flow line'));
        return;
      }
      const result = parseConntrackLine(line);
      if ('reason' in result) sink.diagnostic(diagnosticFor(file, lineNumber, text, result.reason));
      else flows.add(result.record, lineNumber, text);
    },
    end() {
      flows.end();
    },
  };
}

export const nfConntrack: CaptureFormat = {
  name: 'nf-conntrack',
  title: 'Linux /proc/net/nf_conntrack (gateway/NAT flow table)',
  commands: ['cat /proc/net/nf_conntrack', 'conntrack -L -o extended'],
  sample: [
    'ipv4     2 tcp      6 431999 ESTABLISHED src=192.168.1.20 dst=198.51.100.7 sport=51544 dport=443 packets=12 bytes=2210 src=198.51.100.7 dst=203.0.113.2 sport=443 dport=51544 packets=10 bytes=8812 [ASSURED] mark=0 zone=0 use=2',
    'ipv4     2 udp      17 28 src=192.168.1.31 dst=203.0.113.53 sport=40112 dport=53 packets=1 bytes=71 src=203.0.113.53 dst=203.0.113.2 sport=53 dport=40112 packets=1 bytes=87 mark=0 zone=0 use=2',
  ].join('\n'),
  detect: detectNfConntrack,
  createParser: createConntrackTextParser,
};
