// Help cannot drift from the parser: each command's --help flag list is checked against the
// option table its parseArgs reads.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';
import type { OptionTable } from '../../src/option-table.js';
import { runCli } from '../helpers/run-cli.js';

/** The flags a parseArgs table accepts: --long for every entry, -x for its short form. */
function acceptedFlags(options: OptionTable): string[] {
  return Object.entries(options).flatMap(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]);
}

/** The flags the option rows of a help text name: the label column of lines '  -x, --flag ARG   text'. */
function listedFlags(help: string): string[] {
  return help
    .split('\n')
    .filter((line) => /^ {2}--?[a-zA-Z]/.test(line))
    .flatMap((line) => (line.slice(2).split(/ {2,}/)[0] ?? '').match(/(?<![\w-])--?[a-zA-Z][\w-]*/g) ?? []);
}

describe('every command: --help lists exactly the flags its parser accepts', () => {
  it.each(COMMANDS.map((command) => command.name))('%s', async (name) => {
    const command = COMMANDS.find((entry) => entry.name === name)!;
    const module = await command.load();
    const help = await runCli([name, '--help']);
    expect(help.code).toBe(0);
    const listed = listedFlags(help.stdout);
    expect(new Set(listed).size, `a flag listed twice in '${name} --help'`).toBe(listed.length);
    expect(listed.sort()).toEqual(acceptedFlags(module.options).sort());
    // The exported table is the parser's: a flag outside it is refused as a usage error.
    const refused = await runCli([name, ...(name === 'store' ? ['query'] : []), '--not-a-flag-of-any-command']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--not-a-flag-of-any-command');
  });
});
