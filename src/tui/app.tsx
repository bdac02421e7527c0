// The TUI: one Report (or a live stream of them) viewed through pure panels.
// State lives in one reducer (state.ts); keys map to actions in keymap.ts;
// enrichment, live feed and traces are hooks that never block the input loop.
import { Box, useApp, useInput, useStdin } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Report } from '../model/report.js';
import { applyRdns } from './apply-rdns.js';
import { clusterMembers, clustersOfKind } from './cluster-members.js';
import type { ExportResult } from './export.js';
import { type BackgroundRdns, useBackgroundRdns } from './hooks/use-background-rdns.js';
import { useLiveReports } from './hooks/use-live-reports.js';
import { type TerminalSize, useTerminalSize } from './hooks/use-terminal-size.js';
import { type TraceRunner, useTraces } from './hooks/use-traces.js';
import { type NetworkRunner, useNetworkLookup } from './hooks/use-network-lookup.js';
import { type CaptureRowReader, useCaptureRows } from './hooks/use-capture-rows.js';
import { keyToAction, type KeyPress } from './keymap.js';
import { Footer, Header } from './panels/chrome.js';
import { Clusters, clustersPageRows } from './panels/clusters.js';
import { Help } from './panels/help.js';
import { HostDetail, hostDetailLines } from './panels/host-detail.js';
import { Overview } from './panels/overview.js';
import { Remotes, remotesPageRows } from './panels/remotes.js';
import { TimelinePanel } from './panels/timeline.js';
import { MAP_MIN_COLUMNS, MAP_MIN_ROWS, WorldMap } from './panels/world-map.js';
import { RemoteIndex } from './remote-index.js';
import { type Action, initialState, reduce, TAB_SCREENS, type TuiState, type ViewContext } from './state.js';
import { formatCount } from './text.js';
import { formatProgress } from '../enrich/rdns/progress.js';

export interface AppProps {
  report: Report;
  /** Live mode: each Report from this stream replaces the one on screen. */
  live?: AsyncIterable<Report> | undefined;
  /** Resolve PTRs of remotes whose rdns is 'skipped', in the background. */
  rdns?: BackgroundRdns | null | undefined;
  /** Live traceroute for 't' (and background traces). */
  traceRunner?: TraceRunner | null | undefined;
  /** Trace this many of the busiest remotes in the background (0 = none). */
  backgroundTraces?: number | undefined;
  /** Registry lookup for 'w' (null: --offline without a cache). */
  networkRunner?: NetworkRunner | null | undefined;
  /** With --rdap: these addresses are looked up in the background. */
  backgroundNetworks?: readonly string[] | undefined;
  /** The host screen's capture rows, read back on demand (null: not read from capture files). */
  rowReader?: CaptureRowReader | null | undefined;
  /** 'e': write the report; resolves with the paths written. */
  exporter?: ((report: Report) => Promise<ExportResult>) | null | undefined;
  color?: boolean | undefined;
  /** Fixed size (tests, bench); otherwise the terminal's, following resize. */
  size?: TerminalSize | undefined;
  /** Start on this state (tests, bench). */
  initial?: Partial<TuiState> | undefined;
}

const NO_ROWS = new Uint32Array(0);

interface Dispatch {
  action: Action;
  context: ViewContext;
}

function rootReducer(state: TuiState, { action, context }: Dispatch): TuiState {
  // A message (export path, trace error) stays until the next key.
  const base = state.message !== null && action.type !== 'message' ? { ...state, message: null } : state;
  return reduce(base, action, context);
}

export function App(props: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize(props.size);
  const color = props.color ?? true;
  const [state, dispatch] = useReducer(rootReducer, undefined, () => ({ ...initialState(), ...props.initial }));
  const liveState = useLiveReports(props.report, props.live);
  const rdnsState = useBackgroundRdns(liveState.report, props.rdns ?? null);
  const report = useMemo(() => applyRdns(liveState.report, rdnsState.results), [liveState.report, rdnsState.results]);
  const analysis = report.analysis;
  const backgroundTraces = useMemo(() => (props.backgroundTraces ? { count: props.backgroundTraces } : null), [props.backgroundTraces]);
  const traces = useTraces(report, props.traceRunner ?? null, backgroundTraces);
  const networks = useNetworkLookup(report, props.networkRunner ?? null, props.backgroundNetworks ?? null);
  const [exporting, setExporting] = useState(false);

  const width = Math.max(20, size.columns);
  const bodyHeight = Math.max(4, size.rows - 2);
  const mapAvailable = size.columns >= MAP_MIN_COLUMNS && size.rows >= MAP_MIN_ROWS;
  const screen = state.screen === 'map' && !mapAvailable ? 'overview' : state.screen;

  const index = useMemo(() => new RemoteIndex(analysis.remotes), [analysis.remotes]);
  useEffect(() => {
    // Build the sort orders and search texts one per tick after the first frame, so the
    // first 's' or '/' on 100k remotes finds them ready; keys still get in between steps.
    const steps = index.warmUpSteps();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const next = () => {
      const step = steps.shift();
      if (!step) return;
      step();
      timer = setTimeout(next, 0);
    };
    timer = setTimeout(next, 50);
    return () => {
      if (timer) clearTimeout(timer);
    };
  }, [index]);
  // Only the remotes screen shows an order: the first frame (the overview) does not wait for one.
  const view = screen === 'remotes' ? index.view(state.remotes.sortColumn, state.remotes.sortDirection, state.remotes.filter) : NO_ROWS;
  const clusters = useMemo(() => clustersOfKind(analysis.clusters, state.clusters.kind), [analysis.clusters, state.clusters.kind]);
  const expanded = state.clusters.expanded;
  const members = useMemo(() => (expanded ? clusterMembers(analysis.remotes, expanded.kind, expanded.key) : []), [analysis.remotes, expanded]);
  const hostProfile = useMemo(() => (state.host.ip ? analysis.remotes.find((remote) => remote.ip === state.host.ip) ?? null : null), [analysis.remotes, state.host.ip]);
  // The registry answer of this session ('w', --rdap in the background) joins the profile shown.
  const hostNetwork = state.host.ip ? networks.networkFor(state.host.ip) : null;
  const hostRemote = hostProfile && hostNetwork && hostProfile.network !== hostNetwork ? { ...hostProfile, network: hostNetwork } : hostProfile;
  const hostNetworkStatus = state.host.ip ? networks.statusFor(state.host.ip) : { state: 'idle' as const };
  const rowsFor = useCaptureRows(props.rowReader ?? null, state.screen === 'host' ? state.host.ip : null);
  const hostRows = state.host.ip ? rowsFor(state.host.ip) : undefined;

  const context: ViewContext = { listLength: 0, pageRows: bodyHeight, selectedIp: null, selectedClusterKey: null, mapAvailable };
  if (screen === 'remotes') {
    context.listLength = view.length;
    context.pageRows = remotesPageRows(bodyHeight);
    const selected = view[state.remotes.cursor];
    context.selectedIp = selected === undefined ? null : analysis.remotes[selected]?.ip ?? null;
  } else if (screen === 'clusters') {
    context.pageRows = clustersPageRows(bodyHeight, expanded !== null);
    if (expanded) {
      context.listLength = members.length;
      context.selectedIp = members[state.clusters.inner.cursor]?.ip ?? null;
    } else {
      context.listLength = clusters.length;
      context.selectedClusterKey = clusters[state.clusters.cursor]?.key ?? null;
    }
  } else if (screen === 'host' && hostRemote && state.host.ip) {
    const lines = hostDetailLines(hostRemote, traces.pathFor(state.host.ip), traces.statusFor(state.host.ip), hostNetworkStatus, hostRows).length;
    context.listLength = Math.max(1, lines - bodyHeight + 1);
  }
  const contextRef = useRef(context);
  contextRef.current = context;
  const stateRef = useRef(state);
  stateRef.current = state;
  const reportRef = useRef(report);
  reportRef.current = report;

  // Several keys can arrive in one read (tmux send-keys, fast typing, paste): '/147.46.\r'
  // is a filter start, seven characters and Enter, so split plain text into single keys.
  const onInput = (input: string, key: KeyPress) => {
    if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\u001b')) {
      for (const char of input) onKey(char, singleKey(char));
      return;
    }
    onKey(input, key);
  };

  const onKey = (input: string, key: KeyPress) => {
    const current = stateRef.current;
    const action = keyToAction(input, key, { screen: current.screen, editingFilter: current.remotes.editingFilter, help: current.help });
    if (!action) return;
    if (action.type === 'quit') {
      exit();
      return;
    }
    // Keys can arrive faster than React re-renders (typing '147.46.' right after '/'):
    // advance the ref now so the next key sees the mode this one produced.
    stateRef.current = rootReducer(current, { action, context: contextRef.current });
    dispatch({ action, context: contextRef.current });
    if (action.type === 'trace' && current.host.ip) {
      if (!props.traceRunner) dispatch({ action: { type: 'message', text: 'live tracing is not available (traceroute runner missing)' }, context: contextRef.current });
      else traces.traceNow(current.host.ip);
    }
    if (action.type === 'whois' && current.host.ip) {
      if (!props.networkRunner) dispatch({ action: { type: 'message', text: 'registry lookups are off (--offline)' }, context: contextRef.current });
      else networks.lookupNow(current.host.ip);
    }
    if (action.type === 'export') {
      if (!props.exporter) {
        dispatch({ action: { type: 'message', text: 'export is not available here' }, context: contextRef.current });
      } else if (!exporting) {
        setExporting(true);
        dispatch({ action: { type: 'message', text: 'exporting…' }, context: contextRef.current });
        props.exporter(reportRef.current).then(
          (result) => dispatch({ action: { type: 'message', text: `exported ${[result.markdownPath, result.mapPath, result.htmlPath].filter(Boolean).join(', ')}` }, context: contextRef.current }),
          (error: unknown) => dispatch({ action: { type: 'message', text: `export failed: ${error instanceof Error ? error.message : String(error)}` }, context: contextRef.current }),
        ).finally(() => setExporting(false));
      }
    }
  };
  // ink reports stdin.isTTY, which is undefined (not false) on a pipe; useInput treats undefined as active.
  useInput(onInput, { isActive: isRawModeSupported === true });

  const status = statusLine(rdnsState, traces.running, liveState) + (networks.running > 0 ? `  registry ${networks.running}` : '');
  let body;
  if (state.help) {
    body = <Help width={width} height={bodyHeight} color={color} />;
  } else if (screen === 'remotes') {
    // A live update can shrink the list under the cursor: clamp what is drawn (the next key clamps the state).
    const pageRows = remotesPageRows(bodyHeight);
    const cursor = Math.min(state.remotes.cursor, Math.max(0, view.length - 1));
    const top = Math.max(0, Math.min(state.remotes.top, cursor, Math.max(0, view.length - pageRows)));
    body = <Remotes remotes={analysis.remotes} view={view} {...state.remotes} cursor={cursor} top={top} width={width} height={bodyHeight} color={color} />;
  } else if (screen === 'clusters') {
    body = (
      <Clusters
        kind={state.clusters.kind}
        clusters={clusters}
        cursor={state.clusters.cursor}
        top={state.clusters.top}
        expanded={expanded ? { cluster: clusters.find((cluster) => cluster.key === expanded.key) ?? null, key: expanded.key, members, ...state.clusters.inner } : null}
        width={width}
        height={bodyHeight}
        color={color}
      />
    );
  } else if (screen === 'host') {
    const ip = state.host.ip;
    body = <HostDetail remote={hostRemote} ip={ip} trace={ip ? traces.pathFor(ip) : null} traceStatus={ip ? traces.statusFor(ip) : { state: 'idle' }} networkStatus={hostNetworkStatus} {...(hostRows ? { rows: hostRows } : {})} scroll={state.host.scroll} width={width} height={bodyHeight} color={color} />;
  } else if (screen === 'timeline') {
    body = <TimelinePanel timeline={analysis.timeline} live={liveState.points} width={width} height={bodyHeight} color={color} />;
  } else if (screen === 'map') {
    body = <WorldMap remotes={analysis.remotes} totalConnections={analysis.totals.connections} width={width} height={bodyHeight} color={color} />;
  } else {
    body = <Overview analysis={analysis} width={width} height={bodyHeight} color={color} />;
  }
  const screens = mapAvailable ? TAB_SCREENS : TAB_SCREENS.filter((name) => name !== 'map');
  return (
    <Box flexDirection="column" width={width} height={size.rows}>
      <Header screen={screen} screens={screens} status={status} width={width} color={color} />
      <Box height={bodyHeight} width={width} overflow="hidden">{body}</Box>
      <Footer screen={screen} message={state.message} width={width} color={color} />
    </Box>
  );
}

function statusLine(rdns: ReturnType<typeof useBackgroundRdns>, tracesRunning: number, live: ReturnType<typeof useLiveReports>): string {
  const parts: string[] = [];
  if (rdns.error) parts.push(`rDNS failed: ${rdns.error}`);
  else if (rdns.running && rdns.progress) parts.push(formatProgress(rdns.progress, 'rDNS'));
  else if (rdns.progress) parts.push(`rDNS done (${formatCount(rdns.progress.total)})`);
  if (tracesRunning > 0) parts.push(`tracing ${tracesRunning}`);
  if (live.points.length > 0) parts.push(live.error ? `live stopped: ${live.error}` : `${live.ended ? 'live ended' : 'live'} · ${live.points.length} capture(s)`);
  return parts.join(' · ');
}

/** The key flags a lone control character stands for. */
function singleKey(char: string): KeyPress {
  if (char === '\r' || char === '\n') return { return: true };
  if (char === '\t') return { tab: true };
  if (char === '\u007f' || char === '\b') return { backspace: true };
  return {};
}
