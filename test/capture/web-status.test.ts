// Web server status pages: Apache and lighttpd `server-status?auto` on netdata go.d's real captures
// (expectations from each page's own BusyWorkers/IdleWorkers lines and its SOURCE.md), and
// Apache's HTML page on the synthetic sample and lines written from mod_status' output (no real
// capture of the HTML page with ExtendedStatus was at hand).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runFormat } from '../../src/capture/parse-capture-text.js';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { findCaptureFormat } from '../../src/capture/registry.js';
import { parseIpAddress } from '../../src/net/ip.js';
import { FIXTURES, PROJECT_ROOT } from '../helpers/run-cli.js';

const NETDATA = join(FIXTURES, 'real/netdata-go.d');
const io = { stdin: Readable.from([]), cwd: PROJECT_ROOT };

/** The page's own `Key: N` value (the last one: httpd 2.4 prints Busy/IdleWorkers twice). */
function pageValue(text: string, key: string): number {
  const values = [...text.matchAll(new RegExp(`^${key}: (\\d+)`, 'gm'))].map((match) => Number(match[1]));
  return values[values.length - 1]!;
}

describe('server-status on netdata go.d (real ?auto pages)', () => {
  it.each([
    ['extended-status-mpm-event.txt', 'BusyWorkers', 'IdleWorkers', 400],
    ['simple-status-mpm-event.txt', 'BusyWorkers', 'IdleWorkers', 400],
    ['lighttpd-status.txt', 'BusyServers', 'IdleServers', 128],
  ])('%s: the scoreboard agrees with the page\'s own busy/idle counts', async (file, busyKey, idleKey, slots) => {
    const path = join(NETDATA, file);
    const text = readFileSync(path, 'utf8');
    const [capture] = await readCaptures([path], io);
    expect(capture!.info.format).toBe('server-status');
    expect(capture!.diagnostics).toEqual([]);
    expect(capture!.connections).toEqual([]);
    const workers = capture!.info.workers!;
    expect(workers.slots).toBe(slots);
    expect(workers.states.waiting).toBe(pageValue(text, idleKey));
    const busy = Object.entries(workers.states).filter(([state]) => state !== 'waiting' && state !== 'open').reduce((sum, [, count]) => sum + (count ?? 0), 0);
    expect(busy).toBe(pageValue(text, busyKey));
    expect(workers.server).toBe(file.startsWith('lighttpd') ? 'lighttpd' : 'apache');
  });

  it('lighttpd letters: k keep-alive, h handling, r reading', async () => {
    const [capture] = await readCaptures([join(NETDATA, 'lighttpd-status.txt')], io);
    expect(capture!.info.workers!.states).toEqual({ keepalive: 1, handling: 1, reading: 1, waiting: 125 });
  });

  it('a scoreboard letter the server does not print, and a second Scoreboard, are reported', () => {
    const parsed = runFormat(findCaptureFormat('server-status')!, 'BusyWorkers: 1\nScoreboard: __Z_\nScoreboard: ____\nthis is not a status line', 'status.txt');
    expect(parsed.diagnostics.map((d) => [d.line, d.reason])).toEqual([
      [2, 'scoreboard letter that apache does not print'],
      [4, 'not a Key: value status line'],
    ]);
    expect(parsed.meta.workers).toEqual({ states: { waiting: 4 }, slots: 4, server: 'apache' });
  });
});

describe('apache-html (the HTML page with ExtendedStatus On)', () => {
  it('the slow-request sample: one connection per busy worker, from its client to the page\'s own address', async () => {
    const [capture] = await readCaptures(['samples/captures/apache-server-status.html'], io);
    expect(capture!.info.format).toBe('apache-html');
    expect(capture!.diagnostics).toEqual([]);
    const connections = capture!.connections;
    // The page says "150 requests currently being processed, 0 idle workers"; its scoreboard is 256 slots.
    expect(connections).toHaveLength(150);
    expect(capture!.info.workers).toMatchObject({ slots: 256, server: 'apache', states: { reading: 128, writing: 12, keepalive: 10, open: 106 } });
    expect(capture!.info.workers!.states.waiting).toBeUndefined();
    expect(connections.every((c) => c.localAddress === '203.0.113.10' && c.localPort === 80 && c.state === 'ESTABLISHED' && c.remotePort === null)).toBe(true);
    expect(connections.filter((c) => c.worker?.state === 'reading')).toHaveLength(128);
    const clients = capture!.info.workers!.readingOrWritingClients!;
    expect(clients.workers).toBe(140);
    expect(clients.clients).toBe(new Set(connections.filter((c) => c.worker?.letter === 'R' || c.worker?.letter === 'W').map((c) => c.remoteAddress)).size);
    expect(clients.top[0]!.workers).toBeGreaterThanOrEqual(clients.top[1]!.workers);
  });

  const page = (rows: string[], pre = '<pre>RWK_</pre>') => [
    '<html><head><title>Apache Status</title></head><body>',
    '<h1>Apache Server Status for www.example.com (via 2001:db8::10)</h1>',
    pre,
    '<table border="0"><tr><th>Srv</th><th>PID</th><th>M</th><th>Client</th><th>VHost</th><th>Request</th></tr>',
    ...rows,
    '</table></body></html>',
  ].join('\n');

  it('rows split over lines, IPv6 clients, entities and hostile request text; idle rows are not connections', () => {
    const text = page([
      '<tr><td><b>0-0</b></td><td>11</td><td><b>R</b>',
      '</td><td>2001:db8::77</td><td nowrap>shop.example.com:8080</td><td nowrap>GET /?q=&lt;script&gt;&amp;x=\u001b[2J HTTP/1.1</td></tr>',
      '<tr><td><b>1-0</b></td><td>12</td><td><b>W</b></td><td>198.51.100.9</td><td nowrap>shop.example.com</td><td nowrap>GET / HTTP/1.1</td></tr>',
      '<tr><td><b>2-0</b></td><td>13</td><td><b>K</b></td><td>?</td><td nowrap></td><td nowrap></td></tr>',
      '<tr><td><b>3-0</b></td><td>14</td><td>_</td><td>198.51.100.50</td><td nowrap>shop.example.com:80</td><td nowrap>GET /old HTTP/1.1</td></tr>',
    ]);
    const parsed = runFormat(findCaptureFormat('apache-html')!, text, 'status.html');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections).toHaveLength(2);
    expect(parsed.connections[0]).toMatchObject({ ipVersion: 6, remoteAddress: '2001:db8::77', localAddress: '2001:db8::10', localPort: 8080, rawState: 'R', source: { line: 5 }, worker: { state: 'reading', letter: 'R', vhost: 'shop.example.com:8080' } });
    expect(parsed.connections[0]!.worker!.request).toContain('GET /?q=<script>&x=');
    expect(parsed.connections[0]!.worker!.request).not.toContain('\u001b');
    expect(parsed.connections[1]).toMatchObject({ remoteAddress: '198.51.100.9', localPort: 80, worker: { state: 'writing' } });
    expect(parsed.meta.workers).toMatchObject({ slots: 4, states: { reading: 1, writing: 1, keepalive: 1, waiting: 1 }, readingOrWritingClients: { clients: 2, workers: 2 } });
  });

  it('an unknown mode letter or a client that is no address is reported with its line; without <pre> the table gives the counts', () => {
    const text = page([
      '<tr><td>0-0</td><td>11</td><td><b>Z</b></td><td>198.51.100.1</td><td></td><td></td></tr>',
      '<tr><td>1-0</td><td>12</td><td><b>R</b></td><td>bad client;rm</td><td></td><td></td></tr>',
      '<tr><td>2-0</td><td>13</td><td><b>R</b></td><td>198.51.100.2</td><td></td><td></td></tr>',
    ], '');
    const parsed = runFormat(findCaptureFormat('apache-html')!, text, 'status.html');
    expect(parsed.diagnostics.map((d) => [d.line, d.reason])).toEqual([
      [5, "worker mode 'Z' is no Apache scoreboard letter"],
      [6, 'worker client is neither an address nor a host name'],
    ]);
    expect(parsed.connections.map((c) => c.remoteAddress)).toEqual(['198.51.100.2']);
    expect(parsed.meta.workers).toMatchObject({ slots: 2, states: { reading: 2 } });
  });
});

describe('apache-html: generated worker tables read back (property)', () => {
  const rowArb = fc.record({
    letter: fc.constantFrom('_', 'S', 'R', 'W', 'K', 'D', 'C', 'L', 'G', 'I'),
    client: fc.oneof(fc.ipV4(), fc.ipV6()),
    port: fc.integer({ min: 1, max: 65535 }),
    request: fc.string({ maxLength: 40 }),
    split: fc.boolean(),
  });

  it('one connection per busy worker with a client, the counts and the reading/writing clients agree', () => {
    const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 30 }), (rows) => {
      const lines = ['<html><head><title>Apache Status</title></head><body>', '<h1>Apache Server Status for www.example.com (via 203.0.113.10)</h1>',
        '<table border="0"><tr><th>Srv</th><th>M</th><th>Client</th><th>VHost</th><th>Request</th></tr>'];
      rows.forEach((row, index) => {
        const cells = `<td><b>${index}-0</b></td><td><b>${row.letter}</b>${row.split ? '\n' : ''}</td><td>${row.client}</td><td nowrap>www.example.com:${row.port}</td><td nowrap>${escapeHtml(row.request)}</td>`;
        lines.push(`<tr>${cells}</tr>`);
      });
      lines.push('</table></body></html>');
      const parsed = runFormat(findCaptureFormat('apache-html')!, lines.join('\n'), 'gen.html');
      expect(parsed.diagnostics).toEqual([]);
      const busy = rows.filter((row) => !['_', 'S', 'I'].includes(row.letter));
      expect(parsed.connections.map((c) => [c.rawState, c.remoteAddress, c.localPort])).toEqual(busy.map((row) => [row.letter, parseIpAddress(row.client)!.text, row.port]));
      expect(parsed.meta.workers?.slots ?? 0).toBe(rows.length);
      const readingOrWriting = busy.filter((row) => row.letter === 'R' || row.letter === 'W');
      if (rows.length > 0) expect(parsed.meta.workers?.readingOrWritingClients).toMatchObject({ workers: readingOrWriting.length, clients: new Set(readingOrWriting.map((row) => parseIpAddress(row.client)!.text)).size });
    }), { numRuns: 150 });
  });
});
