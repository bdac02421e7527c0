// Run a program with an argument array (never a shell), write stdin, wait with a timeout.
import { spawn } from 'node:child_process';
import { setLongTimeout } from '../../time/long-timeout.js';

export function runWithInput(argv: readonly string[], input: string | Buffer, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const [command, ...args] = argv;
  if (command === undefined) return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    const errors: Buffer[] = [];
    const timer = setLongTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', (error) => {
      timer.clear();
      reject(error);
    });
    child.on('close', (code, signal) => {
      timer.clear();
      const stderr = Buffer.concat(errors).toString('utf8').trim();
      resolve({ code: signal ? null : code, stderr: signal ? `killed by ${signal}${stderr ? ': ' + stderr : ''}` : stderr });
    });
    child.stdin.on('error', () => undefined); // EPIPE when the program exits early; its exit code says why
    child.stdin.end(input);
  });
}
