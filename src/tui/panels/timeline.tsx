// Timeline: totals per capture, the heaviest clusters' series, and (live) one point per received report.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Timeline as TimelineModel } from '../../model/analysis.js';
import { cell, fit, formatCount, formatUtcTime, sparkline } from '../text.js';
import { tone } from './style.js';

export interface LivePoint {
  /** ISO time the report was generated. */
  at: string;
  connections: number;
  remotes: number;
}

export interface TimelineProps {
  timeline: TimelineModel | null;
  live: readonly LivePoint[];
  width: number;
  height: number;
  color: boolean;
}

export function TimelinePanel({ timeline, live, width, height, color }: TimelineProps) {
  const labelWidth = Math.min(32, Math.floor(width * 0.35));
  const sparkWidth = Math.max(4, width - labelWidth - 12);
  const lines: { key: string; node: ReactNode }[] = [];
  const push = (key: string, node: ReactNode) => lines.push({ key, node });
  if (live.length > 0) {
    push('live-h', <Text bold>{fit(`Live: ${live.length} capture(s), last at ${live[live.length - 1]!.at}`, width)}</Text>);
    push('live-c', <Text>{cell('connections', labelWidth)}<Text {...tone(color, 'warn')}>{cell(sparkline(live.map((point) => point.connections), sparkWidth), sparkWidth)}</Text>{cell(formatCount(live[live.length - 1]!.connections), 10, 'right')}</Text>);
    push('live-r', <Text>{cell('remotes', labelWidth)}<Text {...tone(color, 'accent')}>{cell(sparkline(live.map((point) => point.remotes), sparkWidth), sparkWidth)}</Text>{cell(formatCount(live[live.length - 1]!.remotes), 10, 'right')}</Text>);
  }
  if (!timeline || timeline.captures.length === 0) {
    if (live.length === 0) push('none', <Text {...tone(color, 'dim')}>{fit('One capture only: give several captures (or use watch --tui) for a timeline.', width)}</Text>);
  } else {
    const captures = timeline.captures;
    push('cap-h', <Text bold>{fit(`Captures (${captures.length})${timeline.surgeStart !== null ? ` · surge began at capture ${timeline.surgeStart + 1}` : ''}`, width)}</Text>);
    push('cap-c', <Text>{cell('connections', labelWidth)}<Text {...tone(color, 'warn')}>{cell(sparkline(captures.map((capture) => capture.connections), sparkWidth), sparkWidth)}</Text>{cell(formatCount(captures[captures.length - 1]!.connections), 10, 'right')}</Text>);
    push('cap-r', <Text>{cell('remotes', labelWidth)}<Text {...tone(color, 'accent')}>{cell(sparkline(captures.map((capture) => capture.remotes), sparkWidth), sparkWidth)}</Text>{cell(formatCount(captures[captures.length - 1]!.remotes), 10, 'right')}</Text>);
    if (timeline.clusterSeries.length > 0) push('series-h', <Text bold>{fit('Clusters', width)}</Text>);
    for (const series of timeline.clusterSeries) {
      push(`s-${series.kind}-${series.key}`, <Text>{cell(`${series.kind === 'asn' ? 'AS' : ''}${series.key} ${series.label}`, labelWidth - 1)} {cell(sparkline(series.series, sparkWidth), sparkWidth)}{cell(formatCount(series.series[series.series.length - 1] ?? 0), 10, 'right')}</Text>);
    }
    push('cap-list', <Text bold>{fit('Per capture', width)}</Text>);
    for (const capture of captures) {
      push(`c${capture.index}`, <Text>{fit(`  ${String(capture.index + 1).padStart(3)}  ${cell(capture.capturedAt ? formatUtcTime(capture.capturedAt) : '(no time)', 23)}  ${formatCount(capture.connections).padStart(8)} conns ${formatCount(capture.remotes).padStart(7)} remotes  ${capture.path}`, width)}</Text>);
    }
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.slice(0, height).map((line) => (
        <Box key={line.key} width={width} height={1} overflow="hidden">{line.node}</Box>
      ))}
    </Box>
  );
}
