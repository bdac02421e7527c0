import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandOptions } from '../src/option-table.js';

describe('commandOptions', () => {
  const { options, help } = commandOptions([
    {
      heading: 'output:',
      options: {
        output: { type: 'string', short: 'o', arg: 'FILE', help: 'write to FILE\nnever over an existing one' },
        map: { type: 'boolean', help: 'an SVG map too' },
        'no-map': { type: 'boolean', helpWith: 'map' },
      },
    },
    { options: { 'a-very-long-flag-name': { type: 'string', arg: 'VALUE', help: 'two spaces at least' }, quiet: { type: 'boolean' } } },
  ]);

  it('renders each flag once, continuation lines under the text column, partners on one line', () => {
    expect(help).toBe(
      [
        'output:',
        '  -o, --output FILE      write to FILE',
        '                         never over an existing one',
        '  --map, --no-map        an SVG map too',
        '  --a-very-long-flag-name VALUE  two spaces at least',
        '  --quiet',
      ].join('\n'),
    );
  });

  it('merges the sections into the table parseArgs reads', () => {
    const { values } = parseArgs({ args: ['-o', 'x.md', '--no-map', '--a-very-long-flag-name', 'v'], options, strict: true });
    expect(values).toEqual({ output: 'x.md', 'no-map': true, 'a-very-long-flag-name': 'v' });
  });

  it('refuses a flag in two sections and a partner its section lacks', () => {
    expect(() => commandOptions([{ options: { a: { type: 'boolean' } } }, { options: { a: { type: 'boolean' } } }])).toThrow(/--a is in two sections/);
    expect(() => commandOptions([{ options: { b: { type: 'boolean', helpWith: 'c' } } }])).toThrow(/--b is listed with --c/);
  });
});
