// Public entry point of the TUI, for `netsleuth tui` and `watch --tui`:
//
//   import { canRunTui, startTui } from '../tui/start.js';
//   if (canRunTui(process.stdin, process.stdout)) {
//     const code = await startTui({ report, live: reportsStream, env: process.env });
//   }
//
// ink and react are imported here lazily, so importing this module costs nothing
// for commands that never draw. `live` is any AsyncIterable<Report>: each report
// it yields replaces the one on screen and adds a point to the live timeline.
import type { ReadStream, WriteStream } from 'node:tty';
import type { Report } from '../model/report.js';
import type { AppProps } from './app.js';
import type { ExportRenderers } from './export.js';

/** What the screen shows and the background work it may start, as the App takes them; then the terminal's ends. */
export interface StartTuiOptions
  extends Pick<AppProps, 'report' | 'live' | 'rdns' | 'traceRunner' | 'backgroundTraces' | 'networkRunner' | 'backgroundNetworks' | 'rowReader'> {
  /** Renderers for 'e'; without them export says it is unavailable. */
  renderers?: ExportRenderers | null | undefined;
  /** Where 'e' writes; default the current directory. */
  exportDirectory?: string | undefined;
  stdin?: NodeJS.ReadStream | ReadStream | undefined;
  stdout?: NodeJS.WriteStream | WriteStream | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  now?: (() => Date) | undefined;
}

/** True when keys can be read raw and frames drawn: both ends are terminals. */
export function canRunTui(stdin: { isTTY?: boolean; setRawMode?: unknown }, stdout: { isTTY?: boolean }): boolean {
  return Boolean(stdin.isTTY) && typeof stdin.setRawMode === 'function' && Boolean(stdout.isTTY);
}

/** NO_COLOR (any non-empty value) turns colour off; https://no-color.org. */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR;
}

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';

/** What startTuiLoading's investigation gives once it is done: the report and its helpers. */
export type LoadedTui = Omit<StartTuiOptions, 'stdin' | 'stdout' | 'env' | 'now' | 'exportDirectory'>;

/** Draw until the user quits; resolves with the exit code (0). */
export async function startTui(options: StartTuiOptions): Promise<number> {
  const { createElement, render, App, exportReport } = await loadTui(options.stdout);
  return draw(options, createElement(App, appProps(options, options, exportReport)), render);
}

/**
 * Draw at once, then investigate: the first screen shows the investigation's stages, and the
 * screens open on the report `load` resolves with. A failed investigation closes the screen and
 * rejects with its error; after q before the end, onStage throws (the investigation stops at its next stage).
 */
export async function startTuiLoading(load: (onStage: (stage: string) => void) => Promise<LoadedTui>, io: Pick<StartTuiOptions, 'stdin' | 'stdout' | 'env' | 'now' | 'exportDirectory'>): Promise<number> {
  const { createElement, render, LoadingRoot, exportReport } = await loadTui(io.stdout);
  let failure: { error: unknown } | null = null;
  const root = createElement(LoadingRoot, {
    load: async (onStage) => appProps(await load(onStage), io, exportReport),
    onError: (error) => {
      failure = { error };
    },
    color: colorEnabled(io.env ?? process.env),
  });
  const code = await draw(io, root, render);
  if (failure) throw (failure as { error: unknown }).error;
  return code;
}

type TuiModules = { createElement: typeof import('react').createElement; render: typeof import('ink').render } & Pick<typeof import('./app.js'), 'App'> & Pick<typeof import('./loading-root.js'), 'LoadingRoot'> & Pick<typeof import('./export.js'), 'exportReport'>;

async function loadTui(stdoutOption: StartTuiOptions['stdout']): Promise<TuiModules> {
  // React's development build records every prop of every render for its profiler:
  // with a 100k-remote array as a prop that alone costs ~100 ms a key. Users get the production build.
  process.env.NODE_ENV ??= 'production';
  // ink (via is-in-ci) draws nothing but the last frame when CI is set, deciding once at
  // import. A person asked for this screen on a terminal, so CI mode would show them a blank one.
  const stdoutIsTerminal = ((stdoutOption ?? process.stdout) as { isTTY?: boolean }).isTTY === true;
  if (stdoutIsTerminal) {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  const [{ render }, { createElement }, { App }, { LoadingRoot }, { exportReport }] = await Promise.all([import('ink'), import('react'), import('./app.js'), import('./loading-root.js'), import('./export.js')]);
  return { render, createElement, App, LoadingRoot, exportReport };
}

function appProps(options: LoadedTui, io: Pick<StartTuiOptions, 'env' | 'now' | 'exportDirectory'>, exportReport: TuiModules['exportReport']): AppProps {
  const env = io.env ?? process.env;
  const now = io.now ?? (() => new Date());
  const renderers = options.renderers ?? null;
  const directory = io.exportDirectory ?? process.cwd();
  const exporter = renderers ? (report: Report) => exportReport(report, directory, renderers, now()) : null;
  return {
    report: options.report,
    live: options.live,
    rdns: options.rdns ?? null,
    traceRunner: options.traceRunner ?? null,
    backgroundTraces: options.backgroundTraces ?? 0,
    networkRunner: options.networkRunner ?? null,
    backgroundNetworks: options.backgroundNetworks ?? [],
    rowReader: options.rowReader ?? null,
    exporter,
    color: colorEnabled(env),
  };
}

async function draw(io: Pick<StartTuiOptions, 'stdin' | 'stdout'>, element: import('react').ReactElement, render: TuiModules['render']): Promise<number> {
  const stdin = (io.stdin ?? process.stdin) as NodeJS.ReadStream;
  const stdout = (io.stdout ?? process.stdout) as NodeJS.WriteStream;
  stdout.write(ENTER_ALTERNATE_SCREEN);
  try {
    const instance = render(element, { stdin, stdout, exitOnCtrlC: true, patchConsole: false });
    await instance.waitUntilExit();
    return 0;
  } finally {
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  }
}
