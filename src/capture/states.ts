// Every OS spells TCP states its own way; this table maps them to one vocabulary.
// Keys are upper-cased before lookup.
import type { ConnectionState, Protocol } from '../model/connection.js';

const STATE_SPELLINGS: Record<string, ConnectionState> = {
  // Linux net-tools, BSD, macOS, Solaris
  ESTABLISHED: 'ESTABLISHED', SYN_SENT: 'SYN_SENT', SYN_RECV: 'SYN_RECV', SYN_RCVD: 'SYN_RECV',
  SYN_RECEIVED: 'SYN_RECV', FIN_WAIT1: 'FIN_WAIT1', FIN_WAIT_1: 'FIN_WAIT1', FIN_WAIT2: 'FIN_WAIT2',
  FIN_WAIT_2: 'FIN_WAIT2', TIME_WAIT: 'TIME_WAIT', CLOSE: 'CLOSE', CLOSED: 'CLOSE', CLOSE_WAIT: 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK', LISTEN: 'LISTEN', CLOSING: 'CLOSING',
  // iproute2 ss
  ESTAB: 'ESTABLISHED', 'SYN-SENT': 'SYN_SENT', 'SYN-RECV': 'SYN_RECV', 'FIN-WAIT-1': 'FIN_WAIT1',
  'FIN-WAIT-2': 'FIN_WAIT2', 'TIME-WAIT': 'TIME_WAIT', 'CLOSE-WAIT': 'CLOSE_WAIT', 'LAST-ACK': 'LAST_ACK',
  // ss prints UNCONN for unconnected UDP; /proc/net/udp says 07 (TCP_CLOSE) for the same socket.
  UNCONN: 'CLOSE',
  // Windows (English and German netstat)
  LISTENING: 'LISTEN', 'ABHÖREN': 'LISTEN', ABHOEREN: 'LISTEN', HERGESTELLT: 'ESTABLISHED',
  WARTEND: 'TIME_WAIT', SCHLIESSEN_WARTEN: 'CLOSE_WAIT', SYN_GESENDET: 'SYN_SENT', SYN_EMPFANGEN: 'SYN_RECV',
  // PowerShell Get-NetTCPConnection State names
  TIMEWAIT: 'TIME_WAIT', CLOSEWAIT: 'CLOSE_WAIT', SYNSENT: 'SYN_SENT', SYNRECEIVED: 'SYN_RECV',
  FINWAIT1: 'FIN_WAIT1', FINWAIT2: 'FIN_WAIT2', LASTACK: 'LAST_ACK',
  // Solaris UDP: a connected datagram socket (Linux shows ESTABLISHED for the same thing)
  CONNECTED: 'ESTABLISHED',
};

/** /proc/net/{tcp,udp} `st` column (include/net/tcp_states.h). */
const PROC_STATE_CODES: Record<string, ConnectionState> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT', '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING',
  '0C': 'SYN_RECV', // TCP_NEW_SYN_RECV
};

/** The state column of iproute2 `ss`, exactly as it prints it (parsers/ss.ts, the summary's row scanner). */
export const SS_STATE_WORDS = ['ESTAB', 'LISTEN', 'UNCONN', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSING', 'CLOSED', 'UNKNOWN'] as const;

// MSFT_NetTCPConnection.State as a number (ConvertTo-Json, Export-Csv of raw CIM data) -> its name.
const POWERSHELL_STATE_NUMBERS: Record<string, string> = {
  '1': 'Closed', '2': 'Listen', '3': 'SynSent', '4': 'SynReceived', '5': 'Established', '6': 'FinWait1',
  '7': 'FinWait2', '8': 'CloseWait', '9': 'Closing', '10': 'LastAck', '11': 'TimeWait', '12': 'DeleteTCB', '100': 'Bound',
};

/** PowerShell's State name for a numeric code; other text is returned as it is. */
export function powershellStateName(state: string): string {
  return POWERSHELL_STATE_NUMBERS[state] ?? state;
}

/** The normalised state, or null when the text is no state this table knows. */
export function lookupState(raw: string): ConnectionState | null {
  return STATE_SPELLINGS[raw.toUpperCase()] ?? null;
}

export function normaliseState(raw: string): ConnectionState {
  return lookupState(raw) ?? 'UNKNOWN';
}

export function procStateCode(hex: string): ConnectionState {
  return PROC_STATE_CODES[hex.toUpperCase()] ?? 'UNKNOWN';
}

/** What a netstat row's state column held: its state (null: none), its text, and how many tokens it took. */
export interface StateColumn {
  state: ConnectionState | null;
  rawState: string;
  width: 0 | 1;
}

export const NO_STATE_COLUMN: StateColumn = { state: null, rawState: '', width: 0 };

/**
 * The optional state column of a netstat row (Linux, BSD, Windows): UDP rows may have none, a
 * TCP row without a known state is refused (the reason is returned) unless `tolerated` says its
 * text is something else in that place (a Windows PID).
 */
export function readStateColumn(text: string | undefined, protocol: Protocol, tolerated?: (text: string | undefined) => boolean): StateColumn | string {
  const state = text === undefined ? null : lookupState(text);
  if (state !== null && text !== undefined) return { state, rawState: text, width: 1 };
  if (protocol === 'tcp' && !tolerated?.(text)) return text === undefined ? 'missing state' : `unknown state '${text}'`;
  return NO_STATE_COLUMN;
}
