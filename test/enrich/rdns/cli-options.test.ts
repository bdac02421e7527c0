// The shared --dns-* flags.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { rdnsOptionsFromValues } from '../../../src/enrich/rdns/cli-options.js';

const env = { NETSLEUTH_CACHE_DIR: '/tmp/ns-cache' };

describe('rdnsOptionsFromValues', () => {
  it('--no-dns gives null', () => {
    expect(rdnsOptionsFromValues({ 'no-dns': true }, env)).toBeNull();
  });

  it('fills defaults: resolv.conf servers, cache under the cache dir, FCrDNS on', () => {
    expect(rdnsOptionsFromValues({}, env)).toEqual({ servers: [], cacheDir: '/tmp/ns-cache/rdns', cacheOnly: false, forwardConfirm: true });
  });

  it('--dns-cache-dir puts the cache elsewhere (a case folder)', () => {
    expect(rdnsOptionsFromValues({ 'dns-cache-dir': 'case-42/dns' }, env)?.cacheDir).toBe('case-42/dns');
    expect(() => rdnsOptionsFromValues({ 'dns-cache-dir': '' }, env)).toThrow(/--dns-cache-dir/);
  });

  it('takes NETSLEUTH_DNS_SERVER when no --dns-server is given', () => {
    expect(rdnsOptionsFromValues({}, { ...env, NETSLEUTH_DNS_SERVER: '127.0.0.1:5353, [::1]:5353' })?.servers).toEqual(['127.0.0.1:5353', '[::1]:5353']);
    expect(rdnsOptionsFromValues({ 'dns-server': ['127.0.0.2'] }, { ...env, NETSLEUTH_DNS_SERVER: '127.0.0.1' })?.servers).toEqual(['127.0.0.2']);
  });

  it('parses servers, timeout, retries and cache-only', () => {
    const options = rdnsOptionsFromValues({ 'dns-server': ['127.0.0.1:5353', '[::1]:5353'], 'dns-timeout': '250', 'dns-retries': '0', 'dns-cache-only': true, 'dns-rate': '500' }, env);
    expect(options).toMatchObject({ servers: ['127.0.0.1:5353', '[::1]:5353'], timeoutMs: 250, retries: 0, cacheOnly: true, rateLimit: 500 });
  });

  it.each([
    [{ 'dns-server': ['resolver.example'] }, /--dns-server 'resolver.example'/],
    [{ 'dns-server': ['127.0.0.1:99999'] }, /--dns-server/],
    [{ 'dns-timeout': '-5' }, /--dns-timeout '-5'/],
    [{ 'dns-timeout': '0' }, /--dns-timeout/],
    [{ 'dns-timeout': '1.5' }, /--dns-timeout/],
    [{ 'dns-retries': 'many' }, /--dns-retries 'many'/],
    [{ 'dns-retries': '11' }, /--dns-retries/],
    [{ 'dns-rate': '0' }, /--dns-rate '0'/],
  ])('%j is a UserError', (values, message) => {
    expect(() => rdnsOptionsFromValues(values, env)).toThrow(UserError);
    expect(() => rdnsOptionsFromValues(values, env)).toThrow(message);
  });

  it('a bad NETSLEUTH_DNS_SERVER is a UserError naming the variable', () => {
    expect(() => rdnsOptionsFromValues({}, { NETSLEUTH_DNS_SERVER: 'nope' })).toThrow(/NETSLEUTH_DNS_SERVER 'nope'/);
  });
});
