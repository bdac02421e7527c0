// One input, several snapshots: a console log such as `while sleep 60; do date; netstat -tan; done`
// holds one table per time line. Analysed as one capture its snapshots would add up (150 sockets
// seen over ten snapshots look like a 150-socket flood), so the analysis takes each as a capture
// of its own, named `FILE #k/n`, and the timeline shows them in order.
import type { Capture, Connection, ParseDiagnostic } from '../model/connection.js';

export function splitSnapshots(capture: Capture): Capture[] {
  const snapshots = capture.snapshots;
  if (!snapshots || snapshots.length < 2) return [capture];
  const starts = snapshots.map((snapshot) => snapshot.firstLine);
  const connections: Connection[][] = snapshots.map(() => []);
  const diagnostics: ParseDiagnostic[][] = snapshots.map(() => []);
  for (const connection of capture.connections) connections[snapshotOfLine(starts, connection.source.line)]!.push(connection);
  for (const diagnostic of capture.diagnostics) diagnostics[snapshotOfLine(starts, diagnostic.line)]!.push(diagnostic);
  return snapshots.map((snapshot, index) => {
    const { firstLine } = snapshot;
    const lastLine = Math.min((starts[index + 1] ?? Number.POSITIVE_INFINITY) - 1, capture.info.lines);
    return {
      info: {
        ...capture.info,
        path: `${capture.info.path} #${index + 1}/${snapshots.length}`,
        capturedAt: snapshot.capturedAt,
        lines: lastLine - firstLine + 1,
        parsed: connections[index]!.length,
        skipped: diagnostics[index]!.length,
        snapshot: { index: index + 1, count: snapshots.length, file: capture.info.path, firstLine },
      },
      connections: connections[index]!,
      diagnostics: diagnostics[index]!,
    };
  });
}

/** Index of the last start at or before `line` (starts ascending, the first is 1). */
function snapshotOfLine(starts: readonly number[], line: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= line) low = middle;
    else high = middle - 1;
  }
  return low;
}
