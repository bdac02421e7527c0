// What each stage of an investigation (pipeline.ts onProgress) is called where a person watches it:
// the report's progress lines on stderr and the TUI's first screen.
export const STAGE_LABELS: Readonly<Record<string, string>> = {
  store: 'reading the store',
  read: 'reading captures',
  geo: 'geolocating remotes',
  rdns: 'reverse DNS',
  traces: 'reading saved traces',
  'live-trace': 'running live traceroutes',
  networks: 'asking the registries (RDAP) and matching blocklists',
  blocklists: 'matching blocklists',
  analyze: 'analysing',
  report: 'building the report',
  rows: "reading the heaviest remotes' capture rows back",
};

/** The label of a stage; an unknown stage shows as its own name. */
export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage] ?? stage;
}
