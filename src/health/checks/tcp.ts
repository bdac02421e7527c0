// tcp: a connect() to host:port; value: connect time. Refused or timed out is a failure.
import { connect } from 'node:net';
import { defineCheck } from '../check-definition.js';
import { setLongTimeout } from '../../time/long-timeout.js';

interface TcpSpec {
  host: string;
  port: number;
}

export function connectTimeMs(host: string, port: number, timeoutMs: number): Promise<{ ms: number } | { error: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setLongTimeout(() => {
      socket.destroy();
      resolve({ error: `timed out after ${timeoutMs}ms` });
    }, timeoutMs);
    socket.once('connect', () => {
      timer.clear();
      socket.destroy();
      resolve({ ms: performance.now() - started });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      timer.clear();
      resolve({ error: error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message) });
    });
  });
}

export const tcpCheck = defineCheck<TcpSpec>({
  type: 'tcp',
  summary: 'TCP connect to host:port; value: connect time',
  unit: 'ms',
  thresholdKind: 'duration',
  fields: ['host', 'port'],
  parse(config) {
    const host = config.requiredHost('host');
    const port = config.number('port', { min: 1, max: 65535, integer: true });
    if (port === undefined) return config.fail('port', 'is required');
    return { host, port };
  },
  async run(spec, context) {
    const result = await connectTimeMs(spec.host, spec.port, context.timeoutMs);
    const target = spec.host.includes(':') ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
    if ('error' in result) return { value: null, summary: `${target} ${result.error}`, failure: result.error };
    return { value: result.ms, summary: `${target} connected in ${Math.round(result.ms)}ms` };
  },
});
