// ping: the system `ping` (iputils), spawned with an argument array; the host is validated first.
// Reads the round trip from "rtt min/avg/max/mdev = 0.045/0.052/0.061/0.007 ms".
import { execFile } from 'node:child_process';
import { defineCheck } from '../check-definition.js';

interface PingSpec {
  host: string;
  count: number;
}

export const RTT_SUMMARY = /= [\d.]+\/([\d.]+)\//;

export const pingCheck = defineCheck<PingSpec>({
  type: 'ping',
  summary: 'ICMP echo through the system ping; value: average round trip',
  unit: 'ms',
  thresholdKind: 'duration',
  fields: ['host', 'count'],
  parse(config) {
    const host = config.requiredHost('host');
    return { host, count: config.number('count', { min: 1, max: 20, integer: true }) ?? 1 };
  },
  run(spec, context) {
    const waitSeconds = Math.max(1, Math.ceil(context.timeoutMs / 1000));
    const args = ['-n', '-c', String(spec.count), '-W', String(waitSeconds), '-w', String(waitSeconds * spec.count), spec.host];
    return new Promise((resolve) => {
      execFile('ping', args, { timeout: context.timeoutMs * spec.count + 1000, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout) => {
        const match = RTT_SUMMARY.exec(stdout ?? '');
        if (match) {
          const rttMs = Number(match[1]);
          resolve({ value: rttMs, summary: `${spec.host} replied in ${rttMs}ms` });
          return;
        }
        const code = (error as NodeJS.ErrnoException | null)?.code;
        resolve({ value: null, summary: `${spec.host} did not reply`, failure: code === 'ENOENT' ? 'ping is not installed' : `no reply from ${spec.host}` });
      });
    });
  },
});
