// A coarse ASCII world map: land as dots, remotes as marks sized by connections.
import { Box, Text } from 'ink';
import type { RemoteProfile } from '../../model/analysis.js';
import { cell, fit, formatCount, formatPercent } from '../text.js';
import { landGrid, plotRemotes } from '../world-grid.js';
import { tone } from './style.js';

export const MAP_MIN_COLUMNS = 100;
export const MAP_MIN_ROWS = 30;

export interface WorldMapProps {
  remotes: readonly RemoteProfile[];
  totalConnections: number;
  width: number;
  height: number;
  color: boolean;
}

const MARKS = ['·', 'o', 'O', '@'];

export function WorldMap({ remotes, totalConnections, width, height, color }: WorldMapProps) {
  const legendRows = Math.min(6, Math.max(2, Math.floor(height / 5)));
  const rows = Math.max(4, height - legendRows - 1);
  const cols = Math.max(20, width);
  const grid = landGrid(cols, rows);
  const { points, unplaced } = plotRemotes(remotes, cols, rows);
  const total = totalConnections || 1;
  const marks = new Map<number, string>();
  for (const point of points) {
    const share = point.connections / total;
    marks.set(point.row * cols + point.col, share >= 0.2 ? MARKS[3]! : share >= 0.05 ? MARKS[2]! : share >= 0.01 ? MARKS[1]! : '+');
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {grid.map((line, row) => (
        <Text key={row} wrap="truncate-end">
          {runs(line, row, cols, marks).map((run, index) =>
            run.kind === 'mark' ? <Text key={index} bold {...tone(color, 'bad')}>{run.text}</Text>
            : run.kind === 'land' ? <Text key={index} {...tone(color, 'dim')}>{run.text}</Text>
            : run.text,
          )}
        </Text>
      ))}
      <Text bold>{fit(`@ ≥20%  O ≥5%  o ≥1%  + less of connections${unplaced ? ` · ${formatCount(unplaced)} connections without a location` : ''}`, width)}</Text>
      {points.slice(0, legendRows).map((point) => (
        <Text key={`${point.row}-${point.col}`} wrap="truncate-end">{fit(`  ${cell(point.label, 30)} ${cell(formatCount(point.connections), 9, 'right')} conns ${cell(formatPercent(point.connections / total), 5, 'right')} ${formatCount(point.remotes)} remotes`, width)}</Text>
      ))}
    </Box>
  );
}

/** Consecutive cells of one kind as one string, so a row is a handful of elements, not one per cell. */
function runs(line: readonly boolean[], row: number, cols: number, marks: ReadonlyMap<number, string>): { kind: 'mark' | 'land' | 'sea'; text: string }[] {
  const out: { kind: 'mark' | 'land' | 'sea'; text: string }[] = [];
  line.forEach((isLand, col) => {
    const mark = marks.get(row * cols + col);
    const kind = mark ? 'mark' : isLand ? 'land' : 'sea';
    const char = mark ?? (isLand ? '·' : ' ');
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += char;
    else out.push({ kind, text: char });
  });
  return out;
}
