// JSON from jc (kellyjonbrazil/jc): `netstat -tan | jc --netstat`, `ss -tan | jc --ss`,
// `cat /proc/net/tcp | jc --proc-net-tcp` (pretty or compact, one array).
// Sample:
//   [{"proto":"tcp","recv_q":0,"send_q":0,"local_address":"203.0.113.10","local_port":"80",
//     "foreign_address":"198.51.100.7","foreign_port":"51234","state":"ESTABLISHED","kind":"network"}]
// Known gaps: `source.line` is the record's 1-based index in the array (jc keeps no line numbers);
// route/interface/UNIX records are skipped; the whole document is buffered.
import type { IpVersion, Protocol } from '../../model/connection.js';
import { buildConnection, diagnosticFor, parseEndpoint, type EndpointFields } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { lookupState, procStateCode } from '../states.js';

export function detectJcJson(sample: string): number {
  const text = sample.trimStart();
  if (!text.startsWith('[')) return 0;
  if (/"(foreign_address|peer_address|rem_address|remote_address)"\s*:/.test(text) && /"local_address"\s*:/.test(text)) return 0.95;
  return /^\[\s*\]\s*$/.test(sample.trim()) ? 0.3 : 0;
}

type JcRecord = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null);

function endpoint(address: unknown, port: unknown): EndpointFields | null {
  const addressText = text(address);
  if (addressText === undefined) return null;
  const portText = text(port) ?? '*';
  const bracketed = addressText.includes(':') && !addressText.startsWith('[') ? `[${addressText}]` : addressText;
  return parseEndpoint(`${bracketed}:${portText}`, 'colon');
}

export function readJcRecord(record: JcRecord, file: string, line: number, sink: ParseSink): void {
  const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, line, JSON.stringify(record).slice(0, 200), reason));
  if (typeof record['kind'] === 'string' && record['kind'] !== 'network') return;
  let protocol: Protocol;
  let ipVersion: IpVersion | null = null;
  let local: EndpointFields | null;
  let remote: EndpointFields | null;
  let rawState = '';
  let state = null as ReturnType<typeof lookupState>;
  let pid: number | null = null;
  let program: string | null = null;
  if ('netid' in record) {
    if (record['netid'] !== 'tcp' && record['netid'] !== 'udp') return;
    protocol = record['netid'];
    local = endpoint(record['local_address'], record['local_port']);
    remote = endpoint(record['peer_address'], record['peer_port']);
    rawState = text(record['state']) ?? '';
    state = lookupState(rawState);
    const opts = record['opts'] as { process_id?: Record<string, { user?: string }> } | undefined;
    const firstPid = opts?.process_id ? Object.keys(opts.process_id)[0] : undefined;
    if (firstPid !== undefined) {
      pid = Number(firstPid);
      program = opts?.process_id?.[firstPid]?.user ?? null;
    }
    ipVersion = (text(record['local_address']) ?? '').includes(':') ? 6 : 4;
  } else if ('proto' in record) {
    const proto = (text(record['proto']) ?? '').toLowerCase();
    const match = /^(tcp|udp)(4|6|46)?$/.exec(proto);
    if (!match) return;
    protocol = match[1] as Protocol;
    local = endpoint(record['local_address'], record['local_port']);
    remote = endpoint(record['foreign_address'], record['foreign_port']);
    rawState = text(record['state']) ?? '';
    state = rawState === '' ? null : lookupState(rawState);
    pid = count(record['pid']);
    program = text(record['program_name']) ?? null;
    if (match[2] !== undefined) ipVersion = match[2] === '4' ? 4 : 6;
    else if (record['network_protocol'] === 'ipv6') ipVersion = 6;
    else if (record['network_protocol'] === 'ipv4') ipVersion = 4;
    else ipVersion = (text(record['local_address']) ?? '').includes(':') ? 6 : 4;
  } else if ('remote_address' in record && 'entry' in record) {
    protocol = 'tcp';
    local = endpoint(record['local_address'], record['local_port']);
    remote = endpoint(record['remote_address'], record['remote_port']);
    rawState = text(record['state']) ?? '';
    state = procStateCode(rawState);
    ipVersion = (text(record['local_address']) ?? '').includes(':') ? 6 : 4;
  } else {
    return reject('not a jc netstat/ss/proc-net record');
  }
  if (!local || !remote) return reject('bad address');
  sink.connection(buildConnection({
    protocol, ipVersion: ipVersion ?? 4, local, remote, state: state ?? 'UNKNOWN', rawState,
    recvQ: count(record['recv_q']), sendQ: count(record['send_q']), pid, program, file, line,
  }));
}

export function createJcJsonParser(file: string, sink: ParseSink): LineParser {
  const lines: string[] = [];
  return {
    line(line) {
      lines.push(line);
    },
    end() {
      if (lines.every((line) => line.trim().length === 0)) return;
      let document: unknown;
      try {
        document = JSON.parse(lines.join('\n'));
      } catch (error) {
        sink.diagnostic(diagnosticFor(file, 1, lines[0] ?? '', `invalid JSON: ${(error as Error).message}`));
        return;
      }
      if (!Array.isArray(document)) {
        sink.diagnostic(diagnosticFor(file, 1, lines[0] ?? '', 'jc JSON must be an array of records'));
        return;
      }
      document.forEach((record, index) => {
        if (record === null || typeof record !== 'object' || Array.isArray(record)) {
          sink.diagnostic(diagnosticFor(file, index + 1, JSON.stringify(record) ?? '', 'record is not an object'));
          return;
        }
        readJcRecord(record as JcRecord, file, index + 1, sink);
      });
    },
  };
}

export const jcJson: CaptureFormat = {
  name: 'jc-json',
  title: "JSON from jc's netstat, ss and /proc/net/tcp parsers",
  commands: ['netstat -tan | jc --netstat', 'ss -tan | jc --ss', 'cat /proc/net/tcp | jc --proc-net-tcp'],
  sample: '[{"proto":"tcp","recv_q":0,"send_q":0,"local_address":"203.0.113.10","local_port":"80","foreign_address":"198.51.100.7","foreign_port":"51234","state":"ESTABLISHED","kind":"network","transport_protocol":"tcp","network_protocol":"ipv4"}]',
  detect: detectJcJson,
  createParser: createJcJsonParser,
};
