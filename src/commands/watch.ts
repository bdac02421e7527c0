// Placeholder until the 'watch' command lands; it says so instead of pretending.
import { UserError } from '../errors.js';
import type { CommandRun } from './types.js';

export const usage = 'usage: netsleuth watch [options]\n\n(not implemented yet)';

export const run: CommandRun = async () => {
  throw new UserError("'watch' is not implemented yet", 2);
};
