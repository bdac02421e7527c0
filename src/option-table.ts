// Command-line option tables: what node's parseArgs reads, with each flag's help beside it.
// A command's flag list in --help is generated from the same table its parser gets, so the
// two cannot drift apart.
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  /** The value's placeholder in help (`FILE`, `MS`); booleans have none. */
  readonly arg?: string;
  /** Help text, one line per line: the first beside the flag, the rest under it. */
  readonly help?: string;
  /** Listed on that flag's line (`--map, --no-map`) instead of a line of its own. */
  readonly helpWith?: string;
};

export type OptionTable = Readonly<Record<string, OptionSpec>>;

export interface OptionSection {
  readonly heading?: string;
  readonly options: OptionTable;
}

type Merged<S> = S extends readonly [infer Head extends OptionSection, ...infer Rest] ? Head['options'] & Merged<Rest> : unknown;

/** Where help text starts: two spaces, the flag, at least two spaces. */
const HELP_COLUMN = 25;

function flagLabel([name, spec]: readonly [string, OptionSpec]): string {
  return `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
}

function helpLines(sections: readonly OptionSection[]): string[] {
  const lines: string[] = [];
  for (const section of sections) {
    if (section.heading) lines.push(section.heading);
    const entries = Object.entries(section.options);
    for (const entry of entries) {
      const [name, spec] = entry;
      if (spec.helpWith !== undefined) {
        if (!section.options[spec.helpWith]) throw new Error(`option --${name} is listed with --${spec.helpWith}, which its section lacks`);
        continue;
      }
      const label = [entry, ...entries.filter(([, other]) => other.helpWith === name)].map(flagLabel).join(', ');
      const [first = '', ...rest] = spec.help?.split('\n') ?? [];
      lines.push(`  ${label}${' '.repeat(Math.max(2, HELP_COLUMN - 2 - label.length))}${first}`.trimEnd());
      for (const line of rest) lines.push(`${' '.repeat(HELP_COLUMN)}${line}`);
    }
  }
  return lines;
}

/**
 * One command's options: the table for parseArgs (every section merged) and the help text
 * listing every flag of it, in section order.
 */
export function commandOptions<const S extends readonly OptionSection[]>(sections: S): { options: Merged<S>; help: string } {
  const options: Record<string, OptionSpec> = {};
  for (const section of sections) {
    for (const [name, spec] of Object.entries(section.options)) {
      if (Object.hasOwn(options, name)) throw new Error(`option --${name} is in two sections`);
      options[name] = spec;
    }
  }
  return { options: options as Merged<S>, help: helpLines(sections).join('\n') };
}
