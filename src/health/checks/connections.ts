// connections: count live TCP connections from /proc/net/tcp{,6}, filtered by state and local
// port; with perRemote the value is the largest count from one remote address (the flood case:
// hundreds of httpd connections from one academic network).
import type { Connection, ConnectionState } from '../../model/connection.js';
import { CONNECTION_STATES } from '../../model/connection.js';
import { isWildcardAddress } from '../../net/ip.js';
import { defineCheck } from '../check-definition.js';

interface ConnectionsSpec {
  states: ConnectionState[] | null;
  localPort: number | null;
  perRemote: boolean;
}

export interface ConnectionCount {
  count: number;
  /** With perRemote: the remote with the most connections (ties: lowest address text). */
  topRemote: string | null;
}

export function countConnections(connections: readonly Connection[], spec: ConnectionsSpec): ConnectionCount {
  const matching = connections.filter((connection) =>
    (spec.states === null || spec.states.includes(connection.state))
    && (spec.localPort === null || connection.localPort === spec.localPort)
    && !(spec.perRemote && isWildcardAddress(connection.remoteAddress)));
  if (!spec.perRemote) return { count: matching.length, topRemote: null };
  const perRemote = new Map<string, number>();
  for (const connection of matching) perRemote.set(connection.remoteAddress, (perRemote.get(connection.remoteAddress) ?? 0) + 1);
  let top: [string, number] | null = null;
  for (const entry of perRemote) {
    if (top === null || entry[1] > top[1] || (entry[1] === top[1] && entry[0] < top[0])) top = entry;
  }
  return { count: top?.[1] ?? 0, topRemote: top?.[0] ?? null };
}

export const connectionsCheck = defineCheck<ConnectionsSpec>({
  type: 'connections',
  summary: 'live TCP connections (state, localPort filters; perRemote: largest count from one address)',
  unit: 'connections',
  thresholdKind: 'number',
  fields: ['state', 'localPort', 'perRemote'],
  parse(config) {
    const states = config.stringList('state')?.map((state) => state.toUpperCase());
    for (const state of states ?? []) {
      if (!(CONNECTION_STATES as readonly string[]).includes(state)) config.fail('state', `unknown state ${JSON.stringify(state)} (one of ${CONNECTION_STATES.join(', ')})`);
    }
    return {
      states: (states as ConnectionState[] | undefined) ?? null,
      localPort: config.number('localPort', { min: 1, max: 65535, integer: true }) ?? null,
      perRemote: config.boolean('perRemote') ?? false,
    };
  },
  async run(spec, context) {
    const { count, topRemote } = countConnections(await context.liveConnections(), spec);
    const states = spec.states === null ? '' : `${spec.states.join('/')} `;
    const port = spec.localPort === null ? '' : ` to port ${spec.localPort}`;
    const from = spec.perRemote ? ` from ${topRemote ?? 'any one remote'}` : '';
    return { value: count, summary: `${count} ${states}connections${port}${from}` };
  },
});
