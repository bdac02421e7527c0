import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { runBin, runCli } from './helpers/run-cli.js';

describe('cli', () => {
  it('prints the version from package.json', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^netsleuth \d+\.\d+\.\d+\n$/);
  });

  it('lists every registered command in --help', async () => {
    const { stdout } = await runCli(['--help']);
    for (const command of COMMANDS) expect(stdout).toContain(`  ${command.name} `);
  });

  it('every registered command loads and has usage text', async () => {
    for (const command of COMMANDS) {
      const module = await command.load();
      expect(typeof module.run).toBe('function');
      expect(module.usage).toContain(`netsleuth ${command.name}`);
    }
  });

  it('rejects an unknown command with exit 2 and no stack trace', async () => {
    const { code, stderr } = await runCli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command or missing file 'frobnicate'");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('the compiled binary starts and answers --version', () => {
    const { code, stdout } = runBin(['--version']);
    expect(code).toBe(0);
    expect(stdout.startsWith('netsleuth ')).toBe(true);
  });
});

describe('cli without a command', () => {
  it('a piped capture into a pipe gives the markdown report (netstat -tan | netsleuth > report.md)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { PROJECT_ROOT } = await import('./helpers/run-cli.js');
    const capture = await readFile(`${PROJECT_ROOT}samples/incident/incident-04.txt`);
    const { code, stdout, stderr } = await runCli([], { stdin: capture, env: { NETSLEUTH_DNS_SERVER: '127.0.0.1:9', SOURCE_DATE_EPOCH: '1700000000' } });
    // Nothing listens on port 9: the report is written, reverse DNS failed, so the result is partial (exit 1).
    expect(code).toBe(1);
    expect(stderr).toMatch(/reverse DNS failed for \d+ of \d+ remotes/);
    expect(stdout).toMatch(/^# netsleuth report/);
    expect(stdout).toContain('South Korea');
  });

  it('file arguments without a terminal also give the markdown report', async () => {
    const { code, stdout } = await runCli(['--no-dns', 'samples/incident/incident-04.txt']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# netsleuth report/);
  });
});
