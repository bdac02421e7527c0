// The command registry: names, one-line summaries, and lazy loaders so that
// `netsleuth --version` never pays for ink/react or the geo databases.
import type { CommandModule } from './types.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'parse', summary: 'print the normalised connections of captures (json, csv, table; --summary per remote)', load: () => import('./parse.js') },
  { name: 'lookup', summary: 'geo, ASN, institution and reverse DNS for IP addresses', load: () => import('./lookup.js') },
  { name: 'sources', summary: 'list the geo/ASN databases in use with their build dates', load: () => import('./sources.js') },
  { name: 'trace', summary: 'parse saved traceroutes or run live ones, with per-hop attribution', load: () => import('./trace.js') },
  { name: 'report', summary: 'full analysis of captures as markdown, json or csv (and an SVG map)', load: () => import('./report.js') },
  { name: 'tui', summary: 'interactive terminal UI over captures', load: () => import('./tui.js') },
  { name: 'health', summary: 'run health checks; print "done!" when all is well, capture evidence when not', load: () => import('./health.js') },
  { name: 'capture', summary: 'take one live snapshot of this machine\'s connections', load: () => import('./capture.js') },
  { name: 'update', summary: 'download blocklists and the RDAP bootstrap registry into the cache', load: () => import('./update.js') },
  { name: 'watch', summary: 'periodic captures with trend alerts', load: () => import('./watch.js') },
  { name: 'store', summary: 'load captures from many hosts into one store (DuckDB, ClickHouse); SQL over it', load: () => import('./store.js') },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((command) => command.name === name);
}
