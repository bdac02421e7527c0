// The remotes table. Virtualised: only the rows in the window [top, top+rows)
// are turned into elements, whatever the size of the list.
import { Box, Text } from 'ink';
import type { RemoteProfile } from '../../model/analysis.js';
import { remoteName } from '../../analyze/profiles.js';
import { type RemoteColumn, type SortDirection, remoteRdnsText } from '../remote-index.js';
import { cell, fit, formatCount, type Align } from '../text.js';
import { tone } from './style.js';

export interface RemotesProps {
  remotes: readonly RemoteProfile[];
  /** Row indices in display order (sorted, filtered). */
  view: Uint32Array;
  cursor: number;
  top: number;
  sortColumn: RemoteColumn;
  sortDirection: SortDirection;
  filter: string;
  editingFilter: boolean;
  width: number;
  height: number;
  color: boolean;
}

/** Table rows that fit: the panel also shows a status line and a header. */
export function remotesPageRows(height: number): number {
  return Math.max(1, height - 2);
}

interface ColumnLayout {
  column: RemoteColumn;
  title: string;
  width: number;
  align: Align;
  value: (remote: RemoteProfile) => string;
}

export function remoteColumns(width: number, ipWidth = 15): ColumnLayout[] {
  const all: ColumnLayout[] = [
    { column: 'ip', title: 'IP', width: ipWidth, align: 'left', value: (remote) => remote.ip },
    { column: 'connections', title: 'CONNS', width: 6, align: 'right', value: (remote) => formatCount(remote.connections) },
    { column: 'established', title: 'ESTAB', width: 6, align: 'right', value: (remote) => formatCount(remote.states.ESTABLISHED ?? 0) },
    { column: 'synRecv', title: 'SYN_R', width: 6, align: 'right', value: (remote) => formatCount(remote.states.SYN_RECV ?? 0) },
    { column: 'country', title: 'CC', width: 3, align: 'left', value: (remote) => remote.country ?? '-' },
    { column: 'asn', title: 'ASN', width: 7, align: 'right', value: (remote) => (remote.asn === null ? '-' : String(remote.asn)) },
  ];
  // Below 100 columns ESTAB gives its room to the names (it can still be the sort key).
  const fixed = width < 100 ? all.filter((column) => column.column !== 'established') : all;
  // One space between columns; the two text columns share what is left.
  const used = fixed.reduce((sum, column) => sum + column.width + 1, 0) + 1;
  const flexible = Math.max(10, width - used - 1);
  const nameWidth = Math.ceil(flexible * 0.5);
  return [
    ...fixed,
    { column: 'name', title: 'NAME', width: nameWidth, align: 'left', value: (remote) => remoteName(remote) ?? '-' },
    { column: 'rdns', title: 'PTR', width: flexible - nameWidth, align: 'left', value: remoteRdnsText },
  ];
}

export function Remotes(props: RemotesProps) {
  const { remotes, view, cursor, top, width, height, color } = props;
  const rows = remotesPageRows(height);
  const ipWidth = Math.min(39, Math.max(15, width >= 140 ? 39 : 15));
  const columns = remoteColumns(width, ipWidth);
  const end = Math.min(view.length, top + rows);
  const arrow = props.sortDirection === 'asc' ? '▲' : '▼';
  const header = columns.map((column) => cell(column.column === props.sortColumn ? `${column.title}${arrow}` : column.title, column.width, column.align)).join(' ');
  const status = props.editingFilter
    ? `filter: ${props.filter}█`
    : `${formatCount(view.length === 0 ? 0 : top + 1)}-${formatCount(end)} of ${formatCount(view.length)}${view.length !== remotes.length ? ` (filtered from ${formatCount(remotes.length)})` : ''}${props.filter ? `  filter: ${props.filter}` : ''}`;
  const lines = [];
  for (let position = top; position < end; position++) {
    const remote = remotes[view[position]!]!;
    const text = ' ' + columns.map((column) => cell(column.value(remote), column.width, column.align)).join(' ');
    lines.push(
      <Text key={position} wrap="truncate-end" {...(position === cursor ? tone(color, 'selected') : {})}>
        {fit(text, width)}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate-end" {...tone(color, props.editingFilter ? 'warn' : 'dim')}>{fit(status, width)}</Text>
      <Text bold wrap="truncate-end">{fit(' ' + header, width)}</Text>
      {view.length === 0 ? <Text {...tone(color, 'dim')}>{fit(props.filter ? `no remote matches '${props.filter}'` : 'no remotes', width)}</Text> : lines}
    </Box>
  );
}
