import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { seededCacheDir } from '../support/cache-dir.js';
import { startSampleRegistry } from '../support/sample-registry.js';

let cacheDir: string;
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'netsleuth-report-rdap-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const env = (): NodeJS.ProcessEnv => ({ NETSLEUTH_CACHE_DIR: cacheDir, SOURCE_DATE_EPOCH: '1700000000' });

interface Json {
  remotes: { ip: string; network?: { status: string; abuse: { emails: string[]; handle: string | null } | null; source: string; registry: string; nir: { registry: string; org: string } | null } | null; listedIn?: { list: string; entry: string }[] }[];
  whomToContact?: { contacts: { key: string; addresses: string[]; connections: number; networks: { name: string }[] }[]; queries: { rdap: number; whois: number } };
  knownElsewhere?: { hits: { ip: string; listedIn: { list: string; entry: string }[] }[] };
}

// Each case runs whole reports; on a loaded shared machine one takes tens of seconds.
vi.setConfig({ testTimeout: 180_000 });

describe('report --rdap and blocklists on the incident sample (loopback registry)', () => {
  it('names the abuse contact of each Korean network from KISA, flags the listed address, one question per network', async () => {
    const registry = await startSampleRegistry();
    try {
      const result = await runCli(['report', 'samples/incident/incident-04.txt', '--no-dns', '--rdap', '--rdap-server', registry.rdap.url, '--whois-server', registry.whois.server, '--rdap-rate', '0', '--blocklist', 'samples/blocklists/example-list.txt', '-f', 'json'], { env: { ...env(), NETSLEUTH_CACHE_DIR: seededCacheDir(join(cacheDir, 'a')) } });
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as Json;
      expect(report.whomToContact?.contacts.map((contact) => contact.key)).toEqual(['security@snu.example', 'cert@postech.example', 'abuse@kaist.example', 'abuse@korea-univ.example', 'cert@kreonet.example']);
      expect(report.whomToContact?.queries).toEqual({ rdap: 5, whois: 5, cached: 36 });
      expect(registry.rdap.requests).toHaveLength(5);
      const snu = report.remotes.find((remote) => remote.ip === '147.46.195.90')!;
      expect(snu.network).toMatchObject({ status: 'ok', registry: 'APNIC', source: 'rdap+whois', abuse: { emails: ['security@snu.example'], handle: 'IRT-KRNIC-KR' }, nir: { registry: 'KRNIC', org: 'Seoul National University' } });
      expect(snu.listedIn).toEqual([{ list: 'example-list.txt', entry: '147.46.195.90/32 ; EXAMPLE-0001', fetchedAt: null }]);
      // Remotes nobody asked about carry null, and every remote carries listedIn.
      expect(report.remotes.find((remote) => remote.ip === '81.2.69.160')).toMatchObject({ network: null, listedIn: [] });
      expect(report.knownElsewhere?.hits.map((hit) => hit.ip)).toEqual(['147.46.195.90']);
    } finally {
      await registry.close();
    }
  });

  it('markdown has both sections; the second run is answered by the cache; --offline asks nobody', async () => {
    const registry = await startSampleRegistry();
    const cache = seededCacheDir(join(cacheDir, 'b'));
    try {
      const args = ['report', 'samples/incident/incident-04.txt', '--no-dns', '--rdap', '--rdap-server', registry.rdap.url, '--whois-server', registry.whois.server, '--rdap-rate', '0', '--blocklist', 'samples/blocklists/example-list.txt'];
      const first = await runCli(args, { env: { ...env(), NETSLEUTH_CACHE_DIR: cache } });
      expect(first.stdout).toContain('## Whom to contact');
      expect(first.stdout).toMatch(/\| security\\@snu\.example, \(IRT-KRNIC-KR\) \| \+82-2-555-0101 \| SNU-NET 147\.46\.0\.0\/16 APNIC KR \|/);
      expect(first.stdout).toContain('## Known elsewhere');
      expect(first.stdout).toContain('| 147.46.195.90 | 199 | example-list.txt | 147.46.195.90/32 ; EXAMPLE-0001 |');
      const asked = registry.rdap.requests.length;
      const offline = await runCli([...args.filter((arg) => arg !== '--no-dns'), '--offline', '-f', 'json'], { env: { ...env(), NETSLEUTH_CACHE_DIR: cache } });
      expect(offline.code).toBe(0);
      expect(registry.rdap.requests).toHaveLength(asked);
      const report = JSON.parse(offline.stdout) as Json & { methodology: { dns: boolean } };
      expect(report.methodology.dns).toBe(false);
      expect(report.whomToContact?.queries).toMatchObject({ rdap: 0, whois: 0 });
      expect(report.whomToContact?.contacts[0]?.key).toBe('security@snu.example');
      expect(report.remotes[0]?.network?.status).toBe('cached');
      const none = await runCli(['report', 'samples/incident/incident-04.txt', '--offline', '--rdap', '-f', 'json'], { env: { ...env(), NETSLEUTH_CACHE_DIR: seededCacheDir(join(cacheDir, 'empty')) } });
      expect((JSON.parse(none.stdout) as Json).remotes[0]?.network?.status).toBe('not-cached');
    } finally {
      await registry.close();
    }
  });

  it('failing registries give a status per network and the rest of the report', async () => {
    const registry = await startSampleRegistry((ip) => (ip.startsWith('147.46.') ? '500' : ip.startsWith('141.223.') ? 'invalid-json' : ip.startsWith('143.248.') ? 'hang' : 'ok'));
    try {
      const result = await runCli(['report', 'samples/incident/incident-04.txt', '--no-dns', '--rdap', '--rdap-server', registry.rdap.url, '--whois-server', registry.whois.server, '--rdap-rate', '0', '--rdap-timeout', '300', '--rdap-top', '3'], { env: { ...env(), NETSLEUTH_CACHE_DIR: seededCacheDir(join(cacheDir, 'c')) } });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('## Verdict');
      // RDAP's failure, then the RIR whois fallback's (the sample's whois knows only KISA's layout).
      const whoisMiss = String.raw`; whois 127\.0\.0\.1:\d+ names no network containing [\d.]+`;
      expect(result.stdout).toMatch(new RegExp(String.raw`- error: HTTP 500 from 127\.0\.0\.1:\d+${whoisMiss} — 147\.46\.195\.90`));
      expect(result.stdout).toMatch(new RegExp(String.raw`- bad-answer: answer from 127\.0\.0\.1:\d+ is not valid JSON${whoisMiss} — 141\.223`));
      expect(result.stdout).toMatch(new RegExp(String.raw`- timeout: no answer from 127\.0\.0\.1:\d+ within 300 ms${whoisMiss} — 143\.248`));
      expect(result.stdout).toContain('cert@kreonet.example'.replace('@', '\\@'));
    } finally {
      await registry.close();
    }
  });

  it('--offline refuses a blocklist URL; bad flag values exit 2', async () => {
    const url = await runCli(['report', 'samples/incident/incident-04.txt', '--offline', '--blocklist', 'http://127.0.0.1:9/x.txt'], { env: env() });
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('--offline forbids it');
    expect((await runCli(['report', 'samples/incident/incident-04.txt', '--rdap-server', 'ftp://x'], { env: env() })).code).toBe(2);
    expect((await runCli(['report', 'samples/incident/incident-04.txt', '--whois-server', 'a b'], { env: env() })).code).toBe(2);
    expect((await runCli(['report', 'samples/incident/incident-04.txt', '--blocklist', 'no-such-file.txt', '--no-dns'], { env: env() })).code).toBe(2);
  });
});
