// One live snapshot of this machine: the connection table from /proc/net/tcp{,6}, the raw
// `ss -tanp` / `netstat -tanp` text when those tools exist (they know program names),
// process counts, meminfo and loadavg. All reads happen here; formatting is pure.
import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../model/connection.js';
import { sanitizeText } from '../net/sanitize.js';
import { parseCaptureText } from '../capture/parse-capture-text.js';
import type { ProcessCount } from './process-counts.js';
import { inodesByLine, readSocketOwners } from './socket-owners.js';
import { readProcessCounts, readProcFile } from './system-readers.js';

export const PROC_NET_TABLES = ['net/tcp', 'net/tcp6'] as const;

export interface LiveConnections {
  connections: Connection[];
  /** Which /proc tables were read ("/proc/net/tcp,/proc/net/tcp6"). */
  source: string;
}

/** Connections from /proc/net/tcp and tcp6 (a missing table, no IPv6, is skipped), with pid and program when /proc/PID/fd shows the owner. */
export async function readLiveConnections(procRoot: string, options: { owners: boolean } = { owners: true }): Promise<LiveConnections> {
  const connections: Connection[] = [];
  const sources: string[] = [];
  const inodeOf = new Map<Connection, number>();
  for (const table of PROC_NET_TABLES) {
    const path = join(procRoot, table);
    let text: string;
    try {
      text = await readProcFile(procRoot, table);
    } catch {
      continue;
    }
    sources.push(path);
    // A table with only its header line is an idle box, not an error.
    if (!/^\s*\d+:/m.test(text)) continue;
    const inodes = inodesByLine(text);
    for (const connection of parseCaptureText(text, { file: path, inputFormat: 'proc-net' }).connections) {
      connections.push(connection);
      const inode = inodes.get(connection.source.line);
      if (inode !== undefined) inodeOf.set(connection, inode);
    }
  }
  if (options.owners && inodeOf.size > 0) {
    const owners = readSocketOwners(procRoot, new Set(inodeOf.values()));
    for (const [connection, inode] of inodeOf) {
      const owner = owners.get(inode);
      if (owner) {
        connection.pid = owner.pid;
        connection.program = owner.program || null;
      }
    }
  }
  return { connections, source: sources.join(',') };
}

export interface ToolOutput {
  /** File name in the case folder: "ss-tanp.txt". */
  fileName: string;
  command: string[];
  text: string;
}

/** Run a tool with an argument array (no shell); null when it is missing or fails. */
export function runTool(command: string, args: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout) => {
      resolve(error ? null : stdout);
    });
  });
}

export async function readToolOutputs(timeoutMs: number): Promise<ToolOutput[]> {
  const tools: [string, string, string[]][] = [
    ['ss-tanp.txt', 'ss', ['-tanp']],
    ['netstat-tanp.txt', 'netstat', ['-tanp']],
  ];
  const outputs = await Promise.all(tools.map(async ([fileName, command, args]) => {
    const text = await runTool(command, args, timeoutMs);
    return text === null ? null : { fileName, command: [command, ...args], text };
  }));
  return outputs.filter((output): output is ToolOutput => output !== null);
}

export interface LiveSnapshot {
  host: string;
  capturedAt: Date;
  connections: LiveConnections;
  tools: ToolOutput[];
  processes: ProcessCount[];
  meminfo: string | null;
  loadavg: string | null;
}

export interface SnapshotOptions {
  procRoot: string;
  now: () => Date;
  toolTimeoutMs: number;
  /** false: skip ss/netstat (the `capture` command only needs the table). */
  tools: boolean;
}

export async function takeLiveSnapshot(options: SnapshotOptions): Promise<LiveSnapshot> {
  const capturedAt = options.now();
  const [connections, tools, processes, meminfo, loadavg] = await Promise.all([
    readLiveConnections(options.procRoot),
    options.tools ? readToolOutputs(options.toolTimeoutMs) : Promise.resolve([]),
    readProcessCounts(options.procRoot).catch(() => []),
    readProcFile(options.procRoot, 'meminfo').catch(() => null),
    readProcFile(options.procRoot, 'loadavg').catch(() => null),
  ]);
  return { host: sanitizeText(hostname()), capturedAt, connections, tools, processes, meminfo, loadavg };
}
