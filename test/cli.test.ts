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
