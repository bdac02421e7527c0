// Summary for any registered format: one string per line through the format's own parser,
// counted and dropped (nothing kept per line).
import type { Connection, ParseDiagnostic } from '../../model/connection.js';
import { createLineParser } from '../line-parser.js';
import { orientFlows, parseLocalNets } from '../gateway-sides.js';
import type { CaptureFormat, LineParser } from '../parser-types.js';
import { LineAssembler } from './line-assembler.js';
import { RemoteSummaryTable } from './remote-summary.js';
import { keepDiagnostic, lineText, type SummaryScanner } from './summary-scanners.js';

export class ParserSummaryScanner implements SummaryScanner {
  readonly table = new RemoteSummaryTable();
  readonly diagnostics: ParseDiagnostic[] = [];
  diagnosticCount = 0;
  lines = 0;
  private readonly parser: LineParser;
  private readonly assembler = new LineAssembler(this);
  /** Gateway flows wait for the end: which side is remote depends on the whole table (gateway-sides.ts). */
  private readonly flows: Connection[] = [];

  constructor(format: CaptureFormat, file: string, private readonly localNets?: readonly string[]) {
    this.parser = createLineParser(format, file, {
      connection: (connection) => {
        if (connection.flow) this.flows.push(connection);
        else this.table.addConnection(connection);
      },
      diagnostic: (diagnostic) => keepDiagnostic(this, diagnostic),
      meta: () => {},
    });
  }

  write(chunk: Uint8Array): void {
    this.assembler.write(chunk);
  }

  byteLine(buffer: Uint8Array, start: number, end: number): void {
    this.lines++;
    // A UTF-8 BOM at the very start is not part of the first line.
    if (this.lines === 1 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    this.parser.line(lineText(buffer, start, end), this.lines);
  }

  finish(): void {
    this.assembler.end();
    this.parser.end();
    if (this.flows.length > 0) {
      for (const connection of orientFlows(this.flows, parseLocalNets(this.localNets))) this.table.addConnection(connection);
      this.flows.length = 0;
    }
  }
}
