// The timeline of a multi-snapshot capture as an inline SVG chart: connections per
// capture as bars, the heaviest clusters as lines, the surge start marked. Drawn
// here rather than by the page's script so it prints and reads with scripts off.
import type { Timeline } from '../../model/analysis.js';
import { escapeHtml } from '../escape.js';
import { formatCount } from '../format.js';
import { utcClock } from '../../time/utc.js';

const WIDTH_PX = 960;
const HEIGHT_PX = 280;
const MARGIN = { top: 20, right: 20, bottom: 56, left: 56 } as const;
/** Lines drawn; more would not be told apart by colour. */
const MAX_CLUSTER_LINES = 5;

const fixed1 = (value: number): string => (Math.round(value * 10) / 10).toFixed(1);

function captureLabel(capture: Timeline['captures'][number]): string {
  if (!capture.capturedAt) return `#${capture.index + 1}`;
  const date = new Date(capture.capturedAt);
  return Number.isNaN(date.getTime()) ? `#${capture.index + 1}` : `#${capture.index + 1} ${utcClock(date)}`;
}

/** null when there is no timeline to draw (fewer than two captures). */
export function renderTimelineSvg(timeline: Timeline | null): string | null {
  if (!timeline || timeline.captures.length < 2) return null;
  const captures = timeline.captures;
  const series = [...timeline.clusterSeries]
    .map((cluster, order) => ({ cluster, order, peak: Math.max(0, ...cluster.series) }))
    .sort((a, b) => b.peak - a.peak || a.order - b.order)
    .slice(0, MAX_CLUSTER_LINES)
    .map(({ cluster }) => cluster);
  const maxValue = Math.max(1, ...captures.map((capture) => capture.connections), ...series.flatMap((cluster) => cluster.series));
  const plotWidth = WIDTH_PX - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT_PX - MARGIN.top - MARGIN.bottom;
  const step = plotWidth / captures.length;
  const x = (index: number): number => MARGIN.left + step * (index + 0.5);
  const y = (value: number): number => MARGIN.top + plotHeight * (1 - value / maxValue);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" viewBox="0 0 ${WIDTH_PX} ${HEIGHT_PX}" role="img" aria-labelledby="timeline-title">`,
    `<title id="timeline-title">Connections per capture, with the heaviest clusters as lines</title>`,
  ];
  for (const fraction of [0, 0.5, 1]) {
    const value = Math.round(maxValue * fraction);
    parts.push(
      `<line class="grid-line" x1="${MARGIN.left}" x2="${WIDTH_PX - MARGIN.right}" y1="${fixed1(y(value))}" y2="${fixed1(y(value))}"/>`,
      `<text class="axis" x="${MARGIN.left - 6}" y="${fixed1(y(value) + 4)}" text-anchor="end">${formatCount(value)}</text>`,
    );
  }
  const barWidth = Math.max(2, step * 0.6);
  captures.forEach((capture, index) => {
    const top = y(capture.connections);
    const label = `${captureLabel(capture)} ${capture.path}: ${formatCount(capture.connections)} connections from ${formatCount(capture.remotes)} remotes`;
    parts.push(
      `<rect class="bar${timeline.surgeStart !== null && index >= timeline.surgeStart ? ' surge' : ''}" x="${fixed1(x(index) - barWidth / 2)}" y="${fixed1(top)}" width="${fixed1(barWidth)}" height="${fixed1(MARGIN.top + plotHeight - top)}"><title>${escapeHtml(label, 1000)}</title></rect>`,
    );
    // Label every capture when they fit, else about twelve of them.
    if (captures.length <= 12 || index % Math.ceil(captures.length / 12) === 0) {
      parts.push(`<text class="axis" x="${fixed1(x(index))}" y="${HEIGHT_PX - MARGIN.bottom + 16}" text-anchor="middle">${escapeHtml(captureLabel(capture))}</text>`);
    }
  });
  series.forEach((cluster, line) => {
    const points = cluster.series.map((value, index) => `${fixed1(x(index))},${fixed1(y(value))}`).join(' ');
    const name = `${cluster.kind} ${cluster.kind === 'asn' ? `AS${cluster.key}` : cluster.key} ${cluster.label}`;
    parts.push(`<polyline class="series series-${line}" points="${points}"><title>${escapeHtml(`${name}: ${cluster.series.map(formatCount).join(' → ')}`, 1000)}</title></polyline>`);
    cluster.series.forEach((value, index) => {
      parts.push(`<circle class="series-dot series-${line}" cx="${fixed1(x(index))}" cy="${fixed1(y(value))}" r="3"><title>${escapeHtml(`${name}, capture ${index + 1}: ${formatCount(value)}`, 1000)}</title></circle>`);
    });
    const legendX = MARGIN.left + (line % 3) * 300;
    const legendY = HEIGHT_PX - 22 + Math.floor(line / 3) * 14;
    parts.push(
      `<line class="series series-${line}" x1="${legendX}" x2="${legendX + 18}" y1="${legendY - 4}" y2="${legendY - 4}"/>`,
      `<text class="legend" x="${legendX + 24}" y="${legendY}">${escapeHtml(name, 40)}</text>`,
    );
  });
  if (timeline.surgeStart !== null && timeline.surgeStart < captures.length) {
    const markX = fixed1(x(timeline.surgeStart) - step / 2);
    parts.push(
      `<line class="surge-mark" x1="${markX}" x2="${markX}" y1="${MARGIN.top - 8}" y2="${MARGIN.top + plotHeight}"/>`,
      `<text class="surge-label" x="${fixed1(Number(markX) + 4)}" y="${MARGIN.top}">surge starts (capture ${timeline.surgeStart + 1})</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
