// Every file in ../shared/fixtures/real/ goes through auto-detection and its parser, and every line
// a parser skips is accounted for here: a new fixture, a line newly skipped or a format detected
// differently fails this test until it is read or listed with the reason.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, decompressBytes } from '../../src/capture/decode-bytes.js';
import { DETECT_SAMPLE_CHARS, runFormat } from '../../src/capture/parse-capture-text.js';
import { recogniseNonConnectionOutput } from '../../src/capture/not-a-capture.js';
import { detectCaptureFormat } from '../../src/capture/registry.js';
import { parseTraceText } from '../../src/trace/parse.js';
import { FIXTURES } from '../helpers/run-cli.js';

const REAL = join(FIXTURES, 'real');

/** Data that is no capture of any kind netsleuth reads as one (geo/RDAP/whois records, blocklists). */
const NOT_CAPTURES = /^(ipwhois|openrdap|arin-rdap-bootstrap|ipsum|intelmq|firehol-blocklist-ipsets)\/|(^|\/)(SOURCE\.md|LICENSE[^/]*)$|\.license$|\.json$|^rich-traceroute\/expected\//;

type Expectation =
  | { capture: string; skipped?: [number, string][]; skippedByReason?: Record<string, number>; minRows?: number }
  | { refused: 'routing table' | 'interface table' | 'protocol statistics' }
  | { trace: string; skipped?: [number, string][] };

const netstatLinux = { capture: 'netstat-linux' };
const EXPECTED: Record<string, Expectation> = {
  'conntrackr/conntrack-entry': { capture: 'nf-conntrack' },
  // ICMP flows (pings through the NAT) are no TCP/UDP connections; the parser reports each.
  'nat-conntracker/conntrack-events-sample.xml.bz2': { capture: 'conntrack-xml', skippedByReason: { 'icmp flow: only tcp and udp flows are connections': 22 } },
  'gopsutil/aix/netstat_s.txt': { refused: 'protocol statistics' },
  'gopsutil/netbsd/netstat_inb.txt': { refused: 'interface table' },
  'inspec/get-net-tcpconnection': { capture: 'powershell' },
  'inspec/hpux-netstat-inet': { capture: 'netstat-bsd' },
  'inspec/lsof-nP-i-FpctPn': { capture: 'lsof' },
  'inspec/netstat-aan': { capture: 'netstat-bsd' },
  'inspec/netstat-anbo-pipe-select-string-pattern.utf8': { capture: 'netstat-windows' },
  'inspec/netstat-tulpen': netstatLinux,
  'inspec/netstat-tulpen-busybox': netstatLinux,
  'inspec/sockstat': { capture: 'sockstat' },
  // A row InSpec edited into an old ss layout with no State: it cannot be told from a netstat row.
  'inspec/ss-tulpen': { capture: 'ss', skipped: [[10, "unknown state '0'"]] },
  'jc/centos-7.7/netstat-i.out': { refused: 'interface table' },
  'jc/centos-7.7/netstat-l.out': netstatLinux,
  'jc/centos-7.7/netstat-p.out': netstatLinux,
  'jc/centos-7.7/netstat-r.out': { refused: 'routing table' },
  'jc/centos-7.7/netstat-rne.out': { refused: 'routing table' },
  'jc/centos-7.7/netstat-rnee.out': { refused: 'routing table' },
  'jc/centos-7.7/netstat-sudo-lnp.out': netstatLinux,
  'jc/centos-7.7/netstat.out': netstatLinux,
  'jc/centos-7.7/ss-sudo-a.out': { capture: 'ss' },
  'jc/centos-7.7/tracepath.out': { trace: 'tracepath' },
  'jc/centos-7.7/traceroute.out': { trace: 'traceroute' },
  'jc/fedora32/netstat.out': netstatLinux,
  'jc/generic/netstat-old.out': netstatLinux,
  'jc/generic/ss-wide.out': { capture: 'ss' },
  'jc/generic/traceroute-n-ipv4.out': { trace: 'traceroute' },
  'jc/generic/traceroute-n-q1-ipv4.out': { trace: 'traceroute' },
  'jc/generic/traceroute1.out': { trace: 'traceroute' },
  'jc/generic/traceroute2.out': { trace: 'traceroute' },
  'jc/generic/traceroute4.out': { trace: 'traceroute' },
  'jc/generic/traceroute5.out': { trace: 'traceroute' },
  'jc/generic/traceroute6.out': { trace: 'traceroute' },
  'jc/generic/traceroute8.out': { trace: 'traceroute' },
  'jc/linux-proc/net_tcp': { capture: 'proc-net' },
  'jc/osx-10.14.6/netstat-An.out': { capture: 'netstat-bsd' },
  'jc/osx-10.14.6/netstat-i.out': { refused: 'interface table' },
  'jc/osx-10.14.6/netstat-r.out': { refused: 'routing table' },
  'jc/osx-10.14.6/netstat-rnl.out': { refused: 'routing table' },
  'jc/osx-10.14.6/netstat.out': { capture: 'netstat-bsd' },
  'jc/osx-10.14.6/traceroute-asn.out': { trace: 'traceroute' },
  'jc/osx-10.14.6/traceroute-mult-addresses.out': { trace: 'traceroute' },
  'jc/osx-10.14.6/traceroute-no-header.out': { trace: 'traceroute' },
  'jc/osx-10.14.6/traceroute-q.out': { trace: 'traceroute' },
  'jc/osx-10.14.6/traceroute.out': { trace: 'traceroute' },
  'jc/osx-10.14.6/traceroute6.out': { trace: 'traceroute' },
  'jc/ubuntu-18.04/lsof-sudo.out': { capture: 'lsof' },
  'jc/ubuntu-18.04/netstat-i.out': { refused: 'interface table' },
  'jc/ubuntu-18.04/netstat-l.out': netstatLinux,
  'jc/ubuntu-18.04/netstat-p.out': netstatLinux,
  'jc/ubuntu-18.04/netstat-r.out': { refused: 'routing table' },
  'jc/ubuntu-18.04/netstat-rne.out': { refused: 'routing table' },
  'jc/ubuntu-18.04/netstat-rnee.out': { refused: 'routing table' },
  'jc/ubuntu-18.04/netstat-sudo-aeep.out': netstatLinux,
  'jc/ubuntu-18.04/netstat-sudo-lnp.out': netstatLinux,
  'jc/ubuntu-18.04/netstat.out': netstatLinux,
  'jc/ubuntu-18.04/ss-sudo-a.out': { capture: 'ss' },
  'jc/windows/windows-10/netstat-aon.out': { capture: 'netstat-windows' },
  'jc/windows/windows-10/netstat.out': { capture: 'netstat-windows' },
  // Apache/lighttpd status without client columns: scoreboard counts, no connection rows.
  'netdata-go.d/extended-status-mpm-event.txt': { capture: 'server-status', minRows: 0 },
  'netdata-go.d/lighttpd-status.txt': { capture: 'server-status', minRows: 0 },
  'netdata-go.d/simple-status-mpm-event.txt': { capture: 'server-status', minRows: 0 },
  'parse-netstat/netstat-an-darwin': { capture: 'netstat-bsd' },
  'parse-netstat/netstat-an-freebsd-10.1': { capture: 'netstat-bsd' },
  'parse-netstat/netstat-anp-linux': netstatLinux,
  'parse-netstat/netstat-anp-win32': { capture: 'netstat-windows' },
  'parse-netstat/netstat-n-solaris': { capture: 'netstat-solaris' },
  'rich-traceroute/bsd_1.txt': { trace: 'traceroute' },
  'rich-traceroute/bsd_2.txt': { trace: 'traceroute' },
  'rich-traceroute/bsd_4.txt': { trace: 'traceroute' },
  'rich-traceroute/iosxr_1.txt': { trace: 'iosxr' },
  'rich-traceroute/junos_1.txt': { trace: 'mtr-report' },
  'rich-traceroute/linux_1.txt': { trace: 'traceroute' },
  'rich-traceroute/linux_2.txt': { trace: 'traceroute' },
  'rich-traceroute/linux_3.txt': { trace: 'traceroute' },
  // ` 0 -  *  *  *`: a hop 0 no traceroute prints (the upstream test data was edited); reported.
  'rich-traceroute/linux_6.txt': { trace: 'traceroute', skipped: [[2, 'hop number 0 out of range']] },
  'rich-traceroute/mtr_1.txt': { trace: 'mtr-report' },
  'rich-traceroute/mtr_interactive_1.txt': { trace: 'mtr-report' },
  'rich-traceroute/mtr_interactive_3.txt': { trace: 'mtr-report' },
  'rich-traceroute/unknown1_1.txt': { trace: 'tracepath' },
  'rich-traceroute/win_tracert_1.txt': { trace: 'tracert' },
  'rich-traceroute/win_tracert_2.txt': { trace: 'tracert' },
  'rich-traceroute/win_tracert_4.txt': { trace: 'tracert' },
  'rich-traceroute/winmtr_1.txt': { trace: 'winmtr' },
  'trparse/windows_self.txt': { trace: 'tracert' },
  'win32-tracert/trace_tracert.txt': { trace: 'tracert' },
};

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield relative(REAL, path);
  }
}

const files = [...walk(REAL)].filter((file) => !NOT_CAPTURES.test(file));
const textOf = (file: string) => decodeText(decompressBytes(readFileSync(join(REAL, file)), file, (message) => new Error(message)));

describe('every real fixture is read or refused, and every skipped line is accounted for', () => {
  it('the table lists exactly the fixtures there are', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s', (file) => {
    const expected = EXPECTED[file]!;
    const text = textOf(file);
    const detected = detectCaptureFormat(text.slice(0, DETECT_SAMPLE_CHARS));
    if ('capture' in expected) {
      expect(detected?.format.name).toBe(expected.capture);
      const parsed = runFormat(detected!.format, text, file);
      if (expected.skippedByReason) {
        const byReason: Record<string, number> = {};
        for (const diagnostic of parsed.diagnostics) byReason[diagnostic.reason] = (byReason[diagnostic.reason] ?? 0) + 1;
        expect(byReason).toEqual(expected.skippedByReason);
      } else {
        expect(parsed.diagnostics.map((d) => [d.line, d.reason])).toEqual(expected.skipped ?? []);
      }
      expect(parsed.connections.length).toBeGreaterThanOrEqual(expected.minRows ?? 1);
      return;
    }
    // Not a connection table: no capture format may claim it.
    expect(detected).toBeNull();
    if ('refused' in expected) {
      expect(recogniseNonConnectionOutput(text.slice(0, DETECT_SAMPLE_CHARS))?.kind).toBe(expected.refused);
      return;
    }
    const trace = parseTraceText(text, { file });
    expect(trace.format).toBe(expected.trace);
    expect(trace.diagnostics.map((d) => [d.line, d.reason])).toEqual(expected.skipped ?? []);
    expect(trace.paths.length).toBeGreaterThan(0);
  });
});
