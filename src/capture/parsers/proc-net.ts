// Linux `/proc/net/tcp`, `tcp6`, `udp`, `udp6` (cat'ed, possibly several concatenated).
// Sample:
//     sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//      0: 0A7100CB:0050 076433C6:C822 01 00000000:00000000 00:00000000 00000000    33        0 41558 1 ...
// Addresses are hex in host byte order (little-endian on x86/arm: 0100007F = 127.0.0.1), IPv6 as
// four such 32-bit words; ports are big-endian hex; st is a hex state code.
// Known gaps: tcp and udp tables have the same rows; the protocol comes from the header (udp's
// ends with "ref pointer drops"), so a headerless udp table reads as tcp. No pid/program column
// (/proc only has uid and inode). Big-endian hosts (s390x) would need byte swapping: not handled.
import type { IpVersion, Protocol } from '../../model/connection.js';
import { intToIpv4 } from '../../net/ip.js';
import { buildConnection, diagnosticFor, parseEndpoint, rowMatchRatio, type EndpointFields } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { procStateCode } from '../states.js';

const ROW = /^\s*\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{2})\s+([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8})/;

export function detectProcNet(sample: string): number {
  const header = /^\s*sl\s+local_address\s+rem_address\s+st\s/m.test(sample);
  const { ratio, rows } = rowMatchRatio(sample, (line) => /^\s*\d+:\s/.test(line), (line) => ROW.test(line));
  if (rows === 0) return header ? 0.6 : 0;
  return Math.max(header ? 0.6 : 0, Math.min(1, ratio * 0.85 + (header ? 0.15 : 0)));
}

/** Little-endian 32-bit hex word -> the integer the kernel stored. */
function hexWordLittleEndian(hex: string): number {
  const value = parseInt(hex, 16);
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}

export function decodeProcAddress(hex: string): string {
  if (hex.length === 8) return intToIpv4(hexWordLittleEndian(hex));
  const groups: string[] = [];
  for (let word = 0; word < 4; word++) {
    const value = hexWordLittleEndian(hex.slice(word * 8, word * 8 + 8));
    groups.push(((value >>> 16) & 0xffff).toString(16), (value & 0xffff).toString(16));
  }
  return groups.join(':');
}

export function createProcNetParser(file: string, sink: ParseSink): LineParser {
  let protocol: Protocol = /udp/.test(file) ? 'udp' : 'tcp';
  return {
    line(text, lineNumber) {
      const line = text.trimEnd();
      if (line.trim().length === 0) return;
      if (/^\s*sl\s+local_address/.test(line)) {
        protocol = /\bdrops\b/.test(line) ? 'udp' : 'tcp';
        return;
      }
      const match = ROW.exec(line);
      if (!match) {
        sink.diagnostic(diagnosticFor(file, lineNumber, text, 'not a /proc/net row'));
        return;
      }
      const [, localHex = '', localPortHex = '', remoteHex = '', remotePortHex = '', stateHex = '', txHex = '', rxHex = ''] = match;
      const endpoint = (hex: string, portHex: string): EndpointFields | null => {
        const address = decodeProcAddress(hex);
        return parseEndpoint(`${hex.length === 8 ? address : `[${address}]`}:${parseInt(portHex, 16)}`, 'colon');
      };
      const local = endpoint(localHex, localPortHex);
      const remote = endpoint(remoteHex, remotePortHex);
      if (!local || !remote) {
        sink.diagnostic(diagnosticFor(file, lineNumber, text, 'undecodable address'));
        return;
      }
      const ipVersion: IpVersion = localHex.length === 32 ? 6 : 4;
      sink.connection(buildConnection({
        protocol, ipVersion, local, remote,
        state: procStateCode(stateHex), rawState: stateHex.toUpperCase(),
        sendQ: parseInt(txHex, 16), recvQ: parseInt(rxHex, 16),
        file, line: lineNumber,
      }));
    },
    end() {},
  };
}

export const procNet: CaptureFormat = {
  name: 'proc-net',
  title: 'Linux /proc/net/tcp, tcp6, udp, udp6',
  commands: ['cat /proc/net/tcp', 'cat /proc/net/tcp6', 'cat /proc/net/udp', 'cat /proc/net/udp6'],
  sample: [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 23459 1 0000000000000000 100 0 0 10 0',
    '   1: 0A7100CB:0050 076433C6:C822 01 00000000:00000000 00:00000000 00000000    33        0 41558 1 0000000000000000 20 4 1 10 -1',
  ].join('\n'),
  detect: detectProcNet,
  createParser: createProcNetParser,
  timeLines: true,
};
