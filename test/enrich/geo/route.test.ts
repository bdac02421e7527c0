// The routed block of an address, from the embedded ASN data's rows (which merge adjacent
// announcements of one AS and so need not be CIDR blocks) and from the special-purpose registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGeo, type GeoService } from '../../../src/enrich/geo/index.js';
import { formatPrefix } from '../../../src/analyze/prefix-clusters.js';

let geo: GeoService;
beforeAll(async () => {
  geo = await openGeo({ env: {}, systemGeoDirs: [] });
});
afterAll(() => geo?.close());

const routeText = (ip: string): string | null => {
  const route = geo.route?.(ip);
  return route ? formatPrefix(route) : null;
};

describe('route of an address', () => {
  it('is the largest aligned block of its ASN row', () => {
    // Row 147.46.0.0-147.47.119.255, AS9488 (Seoul National University).
    expect(routeText('147.46.10.20')).toBe('147.46.0.0/16');
    expect(routeText('147.47.5.5')).toBe('147.47.0.0/18');
    // The next row, 147.47.120.0-147.47.127.255, is KISTI's.
    expect(routeText('147.47.121.1')).toBe('147.47.120.0/21');
    expect(geo.lookup('147.47.121.1').asn).toBe(1237);
  });

  it('is the special-purpose block for such addresses', () => {
    expect(routeText('10.1.2.3')).toBe('10.0.0.0/8');
    expect(routeText('192.168.7.7')).toBe('192.168.0.0/16');
    expect(routeText('2001:db8::5')).toBe('2001:db8::/32');
    // An IPv4-mapped IPv6 address is its IPv4 address.
    expect(routeText('::ffff:147.46.10.20')).toBe('147.46.0.0/16');
  });

  it('covers IPv6 from the ASN rows', () => {
    const text = routeText('2001:200:1ba::53');
    expect(text).not.toBeNull();
    const [network, length] = (text as string).split('/');
    expect(Number(length)).toBeGreaterThanOrEqual(16);
    expect(Number(length)).toBeLessThanOrEqual(64);
    expect(network).toMatch(/^2001:/);
  });

  it('is null for text that is not an address', () => {
    expect(geo.route?.('not-an-ip')).toBeNull();
  });

  it('is the same whether or not the address was looked up first (the lookup\'s row is reused)', async () => {
    const addresses = ['147.46.10.20', '147.47.121.1', '10.1.2.3', '2001:db8::5', '::ffff:147.46.10.20', '2001:200:1ba::53', '8.8.8.8', '1.1.1.1', '240e::1', 'not-an-ip', '0.0.0.0', '223.255.255.1'];
    const fresh = await openGeo({ env: {}, systemGeoDirs: [] });
    try {
      const before = addresses.map((ip) => fresh.route?.(ip) ?? null);
      for (const ip of addresses) fresh.lookup(ip);
      expect(addresses.map((ip) => fresh.route?.(ip) ?? null)).toEqual(before);
      expect(before.filter((route) => route !== null).length).toBeGreaterThan(8);
    } finally {
      fresh.close();
    }
  });
});
