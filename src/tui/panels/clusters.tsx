// Clusters by prefix, ASN, institution or country; Enter expands one into its remotes.
import { Box, Text } from 'ink';
import type { Cluster, ClusterKind, RemoteProfile } from '../../model/analysis.js';
import { CLUSTER_KINDS } from '../state.js';
import { bar, cell, fit, formatCount, formatPercent } from '../text.js';
import { remoteName } from '../../analyze/profiles.js';
import { remoteRdnsText } from '../remote-index.js';
import { tone } from './style.js';

export interface ClustersProps {
  kind: ClusterKind;
  clusters: readonly Cluster[];
  cursor: number;
  top: number;
  expanded: { cluster: Cluster | null; key: string; members: readonly RemoteProfile[]; cursor: number; top: number } | null;
  width: number;
  height: number;
  color: boolean;
}

/** Rows available for the list below the kind tabs and header. */
export function clustersPageRows(height: number, expanded: boolean): number {
  return Math.max(1, height - (expanded ? 4 : 2));
}

export function Clusters({ kind, clusters, cursor, top, expanded, width, height, color }: ClustersProps) {
  const tabs = (
    <Text wrap="truncate-end">
      {CLUSTER_KINDS.map((name) => (
        <Text key={name} {...(name === kind ? tone(color, 'selected') : tone(color, 'dim'))}>{` ${name} `}</Text>
      ))}
      <Text {...tone(color, 'dim')}>{'  ←/→ kind · Enter expand'}</Text>
    </Text>
  );
  if (expanded) {
    const rows = clustersPageRows(height, true);
    const members = expanded.members;
    const end = Math.min(members.length, expanded.top + rows);
    const label = expanded.cluster ? `${expanded.cluster.key} ${expanded.cluster.label}` : expanded.key;
    const lines = [];
    for (let position = expanded.top; position < end; position++) {
      const remote = members[position]!;
      const text = ` ${cell(remote.ip, 16)}${cell(formatCount(remote.connections), 7, 'right')}  ${cell(remote.country ?? '-', 3)}${cell(remoteName(remote) ?? '-', Math.floor((width - 30) / 2))} ${remoteRdnsText(remote)}`;
      lines.push(<Text key={position} wrap="truncate-end" {...(position === expanded.cursor ? tone(color, 'selected') : {})}>{fit(text, width)}</Text>);
    }
    return (
      <Box flexDirection="column" width={width} height={height} overflow="hidden">
        {tabs}
        <Text bold wrap="truncate-end">{fit(`${kind} ${label}`, width)}</Text>
        <Text wrap="truncate-end" {...tone(color, 'dim')}>
          {fit(expanded.cluster ? `${formatCount(expanded.cluster.connections)} connections (${formatPercent(expanded.cluster.share)}) from ${formatCount(members.length)} remotes · Esc collapses · Enter opens host` : `${formatCount(members.length)} remotes`, width)}
        </Text>
        <Text bold wrap="truncate-end">{fit(` ${cell('IP', 16)}${cell('CONNS', 7, 'right')}  ${cell('CC', 3)}${cell('NAME', Math.floor((width - 30) / 2))} PTR`, width)}</Text>
        {lines}
      </Box>
    );
  }
  const rows = clustersPageRows(height, false);
  const end = Math.min(clusters.length, top + rows);
  const keyWidth = kind === 'institution' ? Math.min(40, Math.floor(width * 0.4)) : 18;
  const labelWidth = kind === 'institution' ? 0 : Math.max(8, Math.floor(width * 0.3));
  const barWidth = Math.max(4, width - keyWidth - labelWidth - 26);
  const lines = [];
  for (let position = top; position < end; position++) {
    const cluster = clusters[position]!;
    const text = ` ${cell(cluster.key, keyWidth)}${labelWidth ? cell(cluster.label, labelWidth) : ''}${cell(formatCount(cluster.connections), 8, 'right')} ${cell(formatPercent(cluster.share), 5, 'right')} ${cell(formatCount(cluster.remotes), 7, 'right')} `;
    lines.push(
      <Text key={position} wrap="truncate-end" {...(position === cursor ? tone(color, 'selected') : {})}>
        {text}
        <Text {...(position === cursor ? {} : tone(color, 'warn'))}>{bar(cluster.share, barWidth)}</Text>
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {tabs}
      <Text bold wrap="truncate-end">{fit(` ${cell(kind.toUpperCase(), keyWidth)}${labelWidth ? cell('LABEL', labelWidth) : ''}${cell('CONNS', 8, 'right')} ${cell('SHARE', 5, 'right')} ${cell('REMOTES', 7, 'right')}`, width)}</Text>
      {clusters.length === 0 ? <Text {...tone(color, 'dim')}>{`  no ${kind} clusters`}</Text> : lines}
    </Box>
  );
}
