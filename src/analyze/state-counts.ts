// TCP state tallies as a fixed-size integer array (fast in the hot loop), turned into
// the model's sparse StateCounts object only for output.
import { CONNECTION_STATES, type ConnectionState } from '../model/connection.js';
import type { StateCounts } from '../model/analysis.js';

export const STATE_COUNT = CONNECTION_STATES.length;

const STATE_INDEX = new Map<string, number>(CONNECTION_STATES.map((state, index) => [state, index]));
const UNKNOWN_INDEX = STATE_INDEX.get('UNKNOWN') ?? STATE_COUNT - 1;

export function stateIndex(state: ConnectionState | string): number {
  return STATE_INDEX.get(state) ?? UNKNOWN_INDEX;
}

export const ESTABLISHED_INDEX = stateIndex('ESTABLISHED');
export const SYN_RECV_INDEX = stateIndex('SYN_RECV');

export function newStateArray(): Int32Array {
  return new Int32Array(STATE_COUNT);
}

export function addStates(target: Int32Array, source: ArrayLike<number>): void {
  for (let i = 0; i < STATE_COUNT; i++) target[i] = (target[i] ?? 0) + (source[i] ?? 0);
}

/** Sparse object in CONNECTION_STATES order (stable key order for byte-identical JSON). */
export function toStateCounts(counts: ArrayLike<number>): StateCounts {
  const result: StateCounts = {};
  for (let i = 0; i < STATE_COUNT; i++) {
    const count = counts[i] ?? 0;
    const state = CONNECTION_STATES[i];
    if (count > 0 && state) result[state] = count;
  }
  return result;
}
