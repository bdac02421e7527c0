// TCP state tallies as a fixed-size integer array (fast in the hot loop), turned into
// the model's sparse StateCounts object only for output.
import { CONNECTION_STATES, STATE_COUNT, stateIndex } from '../model/connection.js';
import type { StateCounts } from '../model/analysis.js';

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
