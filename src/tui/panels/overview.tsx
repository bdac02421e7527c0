// Overview: verdict, indicators, totals, top countries and institutions as bars.
import { Box, Text } from 'ink';
import type { Analysis } from '../../model/analysis.js';
import wrapAnsi from 'wrap-ansi';
import { bar, cell, fit, formatCount, formatPercent, safeText } from '../text.js';
import { severityTone, tone } from './style.js';

export interface OverviewProps {
  analysis: Analysis;
  width: number;
  height: number;
  color: boolean;
}

/** Word wrap to widthCells by terminal columns, at most maxLines lines (the last ends with '…' when cut). */
export function wrapText(text: string, widthCells: number, maxLines: number): string[] {
  const words = safeText(text).split(/\s+/).filter(Boolean).join(' ');
  if (words === '' || widthCells <= 0) return [];
  const lines = wrapAnsi(words, widthCells, { hard: true, trim: true }).split('\n');
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = fit(`${kept[maxLines - 1]} …`, widthCells);
    return kept.map((line) => fit(line, widthCells));
  }
  return lines.map((line) => fit(line, widthCells));
}

export function Overview({ analysis, width, height, color }: OverviewProps) {
  const totals = analysis.totals;
  const synRecv = totals.states.SYN_RECV ?? 0;
  // Budget rows: the verdict takes up to 3 (fewer on a short screen), totals 1, the three headings
  // 1 each, and indicators / countries / institutions share the rest.
  const verdict = wrapText(analysis.verdict || analysis.summary || 'No verdict.', width, height >= 14 ? 3 : height >= 10 ? 2 : 1);
  const rest = Math.max(0, height - verdict.length - 4);
  const indicatorRows = Math.min(Math.max(1, analysis.indicators.length), Math.max(1, Math.floor(rest / 3)));
  const listRows = Math.max(1, Math.floor((rest - indicatorRows) / 2));
  const nameWidth = Math.min(36, Math.max(12, Math.floor(width * 0.42)));
  const barWidth = Math.max(4, width - nameWidth - 20);
  const total = totals.connections || 1;
  const rows = [
    ...verdict.map((line, index) => (
      <Text key={`v${index}`} bold {...tone(color, 'accent')} wrap="truncate-end">{line}</Text>
    )),
    <Text key="totals" wrap="truncate-end">
      {fit(`${formatCount(totals.connections)} connections · ${formatCount(totals.remotes)} remotes · ${formatCount(totals.listening)} listening · SYN_RECV ${formatCount(synRecv)} · ${analysis.captures.length} capture(s)`, width)}
    </Text>,
    <Text key="indicators" bold>{fit(`Indicators (${analysis.indicators.length})`, width)}</Text>,
    ...(analysis.indicators.length === 0 ? [<Text key="none" {...tone(color, 'dim')}>{fit('  none', width)}</Text>] : []),
    ...analysis.indicators.slice(0, indicatorRows).map((indicator, index) => (
      <Text key={`i${index}`} wrap="truncate-end">
        <Text {...tone(color, severityTone(indicator.severity))}>{cell(indicator.severity.toUpperCase(), Math.min(9, width))}</Text>
        {fit(`${indicator.kind}: ${indicator.summary}`, width - 9)}
      </Text>
    )),
    <Text key="countries" bold>{fit('Top countries', width)}</Text>,
    ...analysis.countries.slice(0, listRows).map((country) => (
      <Text key={`c${country.country}`} wrap="truncate-end">
        {cell(`${country.country} ${country.countryName}`, nameWidth)} <Text {...tone(color, 'warn')}>{cell(bar(country.connections / total, barWidth), barWidth)}</Text>
        {cell(formatPercent(country.connections / total), 5, 'right')} {cell(formatCount(country.connections), 9, 'right')}
      </Text>
    )),
    <Text key="institutions" bold>{fit('Top institutions', width)}</Text>,
    ...analysis.institutions.slice(0, listRows).map((institution, index) => (
      <Text key={`n${index}`} wrap="truncate-end">
        {cell(`${institution.asn === null ? '' : `AS${institution.asn} `}${institution.name}`, nameWidth)} <Text {...tone(color, 'accent')}>{cell(bar(institution.connections / total, barWidth), barWidth)}</Text>
        {cell(formatPercent(institution.connections / total), 5, 'right')} {cell(formatCount(institution.connections), 9, 'right')}
      </Text>
    )),
  ];
  // Never more rows than the panel has: yoga would shrink rows into each other rather than clip them.
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {rows.slice(0, Math.max(0, height))}
    </Box>
  );
}
