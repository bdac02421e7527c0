// Which side of a gateway flow is remote. A netstat on a server has one local host; a conntrack
// table on a router or NAT gateway has many (the LAN behind it), and a flow's original source may
// be a LAN host going out or an outside host coming in. The analysis counts remotes, so the
// remote must be the side outside the local networks: default the private and other local-scope
// ranges, or the --local-net CIDRs, plus the router's own addresses where the capture shows them
// (the address SNAT rewrote LAN sources to, the address a DNAT'd flow was sent to).
// A flow from outside to inside, or from a LAN host to the router itself, is turned round
// (flow.reversed); every other flow stays as the kernel printed it, source to destination.
import { UserError } from '../errors.js';
import type { Capture, Connection } from '../model/connection.js';
import { inRange, parseCidr, type AddressRange } from '../net/cidr.js';

/** RFC 1918, shared address space (CGNAT, RFC 6598), link-local, loopback, IPv6 ULA / link-local / loopback. */
export const DEFAULT_LOCAL_NETS: readonly string[] = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8',
  'fc00::/7', 'fe80::/10', '::1/128',
];

/** --local-net values -> ranges; a bad one is a usage error naming it. Empty -> the defaults. */
export function parseLocalNets(texts: readonly string[] | undefined): AddressRange[] {
  const given = texts && texts.length > 0 ? texts : DEFAULT_LOCAL_NETS;
  return given.map((text) => {
    const trimmed = text.trim();
    const range = parseCidr(trimmed.includes('/') ? trimmed : `${trimmed}/${trimmed.includes(':') ? 128 : 32}`);
    if (!range) throw new UserError(`--local-net '${text.slice(0, 60)}': expected an address or CIDR prefix (192.168.0.0/16, 2001:db8::/32)`, 2);
    return range;
  });
}

/** The gateway's own addresses as its NAT shows them. */
export function routerAddresses(connections: readonly Connection[]): Set<string> {
  const addresses = new Set<string>();
  for (const connection of connections) {
    const flow = connection.flow;
    if (!flow) continue;
    const original = flow.reversed
      ? { source: connection.remoteAddress, destination: connection.localAddress }
      : { source: connection.localAddress, destination: connection.remoteAddress };
    // SNAT/masquerade: the answer goes to the router, which hands it back to the LAN source.
    if (flow.reply.destination !== original.source) addresses.add(flow.reply.destination);
    // DNAT (port forward): the outside reached the router's address, an inside host answers.
    if (flow.reply.source !== original.destination) addresses.add(original.destination);
  }
  return addresses;
}

/** Every flow oriented so its remote is the side outside the local networks; other connections untouched. */
export function orientGatewayFlows(capture: Capture, localNets: readonly AddressRange[]): Capture {
  if (!capture.connections.some((connection) => connection.flow !== undefined)) return capture;
  return { ...capture, connections: orientFlows(capture.connections, localNets) };
}

/** The connections of one input, flows oriented (see orientGatewayFlows). */
export function orientFlows(all: readonly Connection[], localNets: readonly AddressRange[]): Connection[] {
  const router = routerAddresses(all);
  // The router itself is the most local side (a LAN host using its DNS is its client), then the
  // local networks, then the rest.
  const rank = (address: string): number => (router.has(address) ? 2 : localNets.some((range) => inRange(address, range)) ? 1 : 0);
  return all.map((connection) => {
    if (!connection.flow || connection.flow.reversed) return connection;
    if (rank(connection.remoteAddress) <= rank(connection.localAddress)) return connection;
    return {
      ...connection,
      localAddress: connection.remoteAddress,
      localPort: connection.remotePort,
      remoteAddress: connection.localAddress,
      remotePort: connection.localPort,
      flow: { ...connection.flow, reversed: true as const },
    };
  });
}
