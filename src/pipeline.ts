// The whole investigation, edges included: read inputs -> parse -> enrich -> analyze -> report model.
// PLACEHOLDER until the report issue lands: the signatures are the contract.
import type { Readable } from 'node:stream';
import type { AnalysisOptions } from './model/analysis.js';
import type { Report } from './model/report.js';
import type { RdnsProgress, ReverseDnsOptions } from './model/services.js';

export interface InvestigateOptions {
  /** Paths, or '-' for stdin; empty = stdin. */
  inputs: string[];
  /** --input-format: force a capture parser. */
  inputFormat?: string;
  strict?: boolean;
  /** null = --no-dns. */
  rdns: ReverseDnsOptions | null;
  /** Run live traceroutes for the top remotes (false = --no-trace). */
  trace: boolean;
  /** Saved traceroute files to attach to remotes. */
  traceFiles?: string[];
  geoDir?: string | null;
  baseline?: string | null;
  analysis?: Partial<AnalysisOptions>;
  /** Fixed clock for reproducible output (--now / SOURCE_DATE_EPOCH). */
  now: Date;
  onProgress?: (stage: string, progress?: RdnsProgress) => void;
}

export interface InvestigateIO {
  stdin: Readable;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export async function investigate(_options: InvestigateOptions, _io: InvestigateIO): Promise<Report> {
  throw new Error('investigate: not implemented yet');
}
