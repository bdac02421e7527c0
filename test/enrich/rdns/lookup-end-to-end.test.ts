// The resolver through the CLI the way a user runs it: `netsleuth lookup`
// against knot, then the same run offline from the cache.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { ZONE_ADDRESSES as Z } from '../../support/test-zone.js';

const dnsServer = inject('dnsServer');

describe.skipIf(dnsServer === null)('netsleuth lookup with reverse DNS (knot)', () => {
  it('reports each outcome, then replays it offline with --dns-cache-only', async () => {
    // Only the DNS cache is private to this test: a fresh NETSLEUTH_CACHE_DIR would rebuild the geo ASN index (seconds).
    const cache = ['--dns-cache-dir', await mkdtemp(join(tmpdir(), 'rdns-e2e-'))];
    const ips = [Z.confirmed, Z.nxdomain, Z.markdown, Z.v6confirmed];
    const online = await runCli(['lookup', ...ips, '--dns-server', dnsServer as string, ...cache, '-f', 'json']);
    expect(online.stderr).toBe('');
    expect(online.code).toBe(0);
    const rows = JSON.parse(online.stdout) as { ip: string; rdns: { status: string; names: string[] } }[];
    expect(rows.map((row) => [row.ip, row.rdns.status, row.rdns.names])).toEqual([
      [Z.confirmed, 'ok', ['host1.example.test']],
      [Z.nxdomain, 'nxdomain', []],
      [Z.markdown, 'ok', ['a\\124b\\096c.example.test']],
      [Z.v6confirmed, 'ok', ['v6host.example.test']],
    ]);

    // Offline: an unroutable server proves nothing is asked; the output is byte-identical.
    const offline = await runCli(['lookup', ...ips, '--dns-server', '127.0.0.1:9', '--dns-cache-only', ...cache, '-f', 'json']);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toBe(online.stdout);

    const missing = await runCli(['lookup', '198.51.100.99', '--dns-cache-only', ...cache, '-f', 'json']);
    expect(JSON.parse(missing.stdout)[0].rdns.status).toBe('skipped');
  });
});

describe.skipIf(dnsServer === null)('forward confirmation in lookup (knot)', () => {
  it('is checked only with --fcrdns; a cached answer without it does not answer a run that asks', async () => {
    const cache = ['--dns-cache-dir', await mkdtemp(join(tmpdir(), 'rdns-fcrdns-'))];
    const ips = [Z.confirmed, Z.mismatch];
    const plain = await runCli(['lookup', ...ips, '--dns-server', dnsServer as string, ...cache, '-f', 'json']);
    expect(plain.code).toBe(0);
    const plainRows = JSON.parse(plain.stdout) as { rdns: { status: string; fcrdns?: string } }[];
    expect(plainRows.map((row) => [row.rdns.status, row.rdns.fcrdns])).toEqual([
      ['ok', undefined],
      ['ok', undefined],
    ]);
    // The cache now holds both names without a forward check: --fcrdns must ask again.
    const checked = await runCli(['lookup', ...ips, '--fcrdns', '--dns-server', dnsServer as string, ...cache, '-f', 'json']);
    expect(checked.code).toBe(0);
    const checkedRows = JSON.parse(checked.stdout) as { rdns: { fcrdns?: string } }[];
    expect(checkedRows.map((row) => row.rdns.fcrdns)).toEqual(['confirmed', 'mismatch']);
    // And the checked answers are what the cache replays offline.
    const offline = await runCli(['lookup', ...ips, '--fcrdns', '--dns-server', '127.0.0.1:9', '--dns-cache-only', ...cache, '-f', 'json']);
    expect((JSON.parse(offline.stdout) as { rdns: { fcrdns?: string } }[]).map((row) => row.rdns.fcrdns)).toEqual(['confirmed', 'mismatch']);
  });

  it('--fcrdns with --no-dns is a usage error', async () => {
    const result = await runCli(['lookup', '198.51.100.1', '--fcrdns', '--no-dns']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--fcrdns/);
  });
});

describe('reverse-DNS flags through the CLI', () => {
  it.each([
    [['--dns-timeout=-5'], /--dns-timeout '-5'/],
    [['--dns-server', 'resolver.example'], /--dns-server 'resolver.example'/],
    [['--dns-retries', 'x'], /--dns-retries 'x'/],
  ])('%j: exit 2, one line, no stack', async (flags, message) => {
    const result = await runCli(['lookup', '198.51.100.1', ...flags, '-f', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
