// `parse --explain`: why auto-detection chose a format (or refused the input). Every registered
// format scores the start of the input and reads the whole text; the answer lists how many lines
// each turned into connections, what it skipped and the first line it could not read.
// Pure: text in, explanation out (commands/parse.ts prints it).
import type { ParseDiagnostic } from '../model/connection.js';
import { recogniseNonConnectionOutput, type NonConnectionKind } from './not-a-capture.js';
import { DETECT_SAMPLE_CHARS, runFormat } from './parse-capture-text.js';
import { CAPTURE_FORMATS, MIN_DETECT_CONFIDENCE, detectCaptureFormat } from './registry.js';

export interface FormatMatch {
  format: string;
  /** The format's detection score on the start of the input (0..1). */
  confidence: number;
  /** Distinct lines that gave a connection. */
  linesRead: number;
  connections: number;
  skipped: number;
  firstUnreadable: ParseDiagnostic | null;
  /** 0..1: how much the start of the input looks like the format's own sample (words and character shapes). */
  resemblance: number;
}

export interface DetectionExplanation {
  file: string;
  /** Lines with something on them. */
  lines: number;
  /** The format auto-detection picks, null when the input is refused. */
  chosen: string | null;
  /** Set when the input is a netstat table of another kind (routing, interfaces, statistics). */
  otherKind: NonConnectionKind | null;
  /** Every format, best first (chosen first, then by lines read, score, how far it read, registry order). */
  matches: FormatMatch[];
}

export function explainDetection(text: string, file: string): DetectionExplanation {
  const sample = text.slice(0, DETECT_SAMPLE_CHARS);
  const chosen = detectCaptureFormat(sample)?.format.name ?? null;
  const lines = text.split('\n').filter((line) => line.trim().length > 0).length;
  const head = profile(sample.split('\n', 50).join('\n'));
  const matches = CAPTURE_FORMATS.map((format, order) => {
    const parsed = runFormat(format, text, file);
    const match: FormatMatch = {
      format: format.name,
      confidence: format.detect(sample),
      linesRead: new Set(parsed.connections.map((connection) => connection.source.line)).size,
      connections: parsed.connections.length,
      skipped: parsed.diagnostics.length,
      firstUnreadable: [...parsed.diagnostics].sort((a, b) => a.line - b.line)[0] ?? null,
      resemblance: resemblance(head, profile(format.sample)),
    };
    return { match, order };
  });
  matches.sort((a, b) =>
    Number(b.match.format === chosen) - Number(a.match.format === chosen) ||
    b.match.linesRead - a.match.linesRead ||
    b.match.confidence - a.match.confidence ||
    b.match.resemblance - a.match.resemblance ||
    a.order - b.order);
  return { file, lines, chosen, otherKind: chosen === null ? recogniseNonConnectionOutput(sample) : null, matches: matches.map((entry) => entry.match) };
}

interface TextProfile {
  words: Set<string>;
  shapes: Map<string, number>;
}

/**
 * Words (lower-cased) and character-shape trigrams (digits as 9, letters as a, runs of blanks as
 * one space): enough to rank formats that read nothing by how close the text is to their output.
 */
function profile(text: string): TextProfile {
  const words = new Set((text.toLowerCase().match(/[a-z][a-z-]{2,}/g) ?? []).slice(0, 2000));
  const shaped = text.slice(0, 8192).replace(/[0-9]/g, '9').replace(/[A-Za-z]/g, 'a').replace(/[ \t]+/g, ' ');
  const shapes = new Map<string, number>();
  for (let i = 0; i + 3 <= shaped.length; i++) {
    const gram = shaped.slice(i, i + 3);
    shapes.set(gram, (shapes.get(gram) ?? 0) + 1);
  }
  return { words, shapes };
}

function resemblance(a: TextProfile, b: TextProfile): number {
  let shared = 0;
  for (const word of a.words) if (b.words.has(word)) shared++;
  const union = a.words.size + b.words.size - shared;
  const wordScore = union === 0 ? 0 : shared / union;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [gram, count] of a.shapes) {
    normA += count * count;
    dot += count * (b.shapes.get(gram) ?? 0);
  }
  for (const count of b.shapes.values()) normB += count * count;
  const shapeScore = normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
  return (wordScore + shapeScore) / 2;
}

const score = (confidence: number) => confidence.toFixed(2);

function unreadable(match: FormatMatch): string {
  const first = match.firstUnreadable;
  if (!first) return match.linesRead === 0 ? 'no line looked like its rows' : 'none';
  return `line ${first.line}: ${first.reason}: ${first.raw.length > 60 ? `${first.raw.slice(0, 59)}…` : first.raw}`;
}

/** Why the winner won: its score against the runner-up's, and how much of the input it read. */
function winnerReason(explanation: DetectionExplanation, winner: FormatMatch): string {
  const others = explanation.matches.filter((match) => match !== winner).sort((a, b) => b.confidence - a.confidence);
  const next = others[0];
  const read = `it reads ${winner.linesRead} of ${explanation.lines} lines as connections, skipping ${winner.skipped}`;
  if (!next || next.confidence < winner.confidence) {
    const runnerUp = next && next.confidence > 0 ? ` (next: ${next.format} ${score(next.confidence)})` : ' (no other format scored above 0)';
    return `its detection score ${score(winner.confidence)} is the highest${runnerUp}; ${read}`;
  }
  return `its detection score ${score(winner.confidence)} ties with ${next.format} and it comes first in the registry (more specific formats first); ${read}`;
}

/** Plain text for the terminal: the verdict, then one line per format (the three closest when refused). */
export function formatExplanation(explanation: DetectionExplanation, hint?: string): string {
  const out: string[] = [];
  const winner = explanation.matches.find((match) => match.format === explanation.chosen);
  if (winner) {
    out.push(`${explanation.file}: read as ${winner.format}: ${winnerReason(explanation, winner)}.`);
    const width = Math.max(...explanation.matches.map((match) => match.format.length));
    for (const match of explanation.matches) {
      const counts = match.linesRead === 0 ? '0' : `${match.linesRead} of ${explanation.lines} lines`;
      out.push(`  ${match.format.padEnd(width)}  score ${score(match.confidence)}  ${counts}${match.skipped > 0 ? `, ${match.skipped} skipped` : ''}${match.linesRead > 0 && match === winner ? '' : match.firstUnreadable ? `; first unreadable ${unreadable(match)}` : ''}`);
    }
    return out.join('\n') + '\n';
  }
  const why = explanation.lines === 0
    ? 'it is empty'
    : explanation.otherKind
      ? `it is ${/^[aeiou]/.test(explanation.otherKind.kind) ? 'an' : 'a'} ${explanation.otherKind.kind} (${explanation.otherKind.command}), not a list of connections`
      : `no format scored ${MIN_DETECT_CONFIDENCE} or more`;
  out.push(`${explanation.file}: refused: ${why}.${hint === undefined ? '' : ` ${hint}.`} Closest formats:`);
  for (const match of explanation.matches.slice(0, 3)) {
    out.push(`  ${match.format}: score ${score(match.confidence)}, ${match.linesRead} of ${explanation.lines} lines read; first line it could not read: ${unreadable(match)}`);
  }
  return out.join('\n') + '\n';
}
