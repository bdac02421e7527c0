// The report's clock: --now, else SOURCE_DATE_EPOCH (reproducible-builds.org), else the real time.
import { UserError } from '../errors.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

export function resolveReportTime(nowArg: string | undefined, env: NodeJS.ProcessEnv, clock: () => Date = () => new Date()): Date {
  if (nowArg !== undefined) {
    const date = new Date(nowArg);
    if (!ISO_UTC.test(nowArg) || Number.isNaN(date.getTime())) {
      throw new UserError(`--now '${nowArg}' is not an ISO 8601 time with a zone (e.g. 2026-11-28T12:00:00Z)`, 2);
    }
    return date;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) throw new UserError(`SOURCE_DATE_EPOCH '${epoch}' is not a whole number of seconds`, 2);
    return new Date(Number(epoch) * 1000);
  }
  return clock();
}
