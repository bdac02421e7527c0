// All TUI state in one reducer: keys become actions (keymap.ts), actions become
// state here, pure and unit-testable. Effects (export, live trace, quit) are
// named by actions and carried out by app.tsx.
import type { ClusterKind } from '../model/analysis.js';
import { DEFAULT_DIRECTION, REMOTE_COLUMNS, type RemoteColumn, type SortDirection } from './remote-index.js';

export type Screen = 'overview' | 'remotes' | 'clusters' | 'timeline' | 'map' | 'host';

/** Screens Tab cycles through; 'host' opens from a list. */
export const TAB_SCREENS: readonly Screen[] = ['overview', 'remotes', 'clusters', 'timeline', 'map'];
export const CLUSTER_KINDS: readonly ClusterKind[] = ['prefix', 'asn', 'institution', 'country'];

export interface ListCursor {
  /** Selected position in the list as displayed. */
  cursor: number;
  /** First displayed position (virtualised window start). */
  top: number;
}

export interface TuiState {
  screen: Screen;
  /** Where Esc goes back to from the host screen. */
  returnTo: Screen;
  help: boolean;
  remotes: ListCursor & { sortColumn: RemoteColumn; sortDirection: SortDirection; filter: string; editingFilter: boolean };
  clusters: ListCursor & { kind: ClusterKind; expanded: { kind: ClusterKind; key: string } | null; inner: ListCursor };
  host: { ip: string | null; scroll: number };
  message: string | null;
}

export type Action =
  | { type: 'next-screen' }
  | { type: 'previous-screen' }
  | { type: 'go'; screen: Screen }
  | { type: 'move'; delta: number }
  | { type: 'page'; delta: 1 | -1 }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'sort-column'; delta: 1 | -1 }
  | { type: 'sort-reverse' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-commit' }
  | { type: 'filter-cancel' }
  | { type: 'cluster-kind'; delta: 1 | -1 }
  | { type: 'toggle-help' }
  | { type: 'message'; text: string | null }
  | { type: 'export' }
  | { type: 'trace' }
  | { type: 'whois' }
  | { type: 'quit' };

/** What the reducer needs to know about the current view (list lengths, page height, selection). */
export interface ViewContext {
  /** Length of the list the cursor is in (remotes after filter, clusters of the kind, or an expanded cluster's remotes). */
  listLength: number;
  /** Rows visible in that list. */
  pageRows: number;
  /** The IP under the cursor when the list holds remotes (for Enter). */
  selectedIp: string | null;
  /** The cluster under the cursor on the clusters screen. */
  selectedClusterKey: string | null;
  /** Whether the terminal is large enough for the map. */
  mapAvailable: boolean;
}

export function initialState(): TuiState {
  return {
    screen: 'overview',
    returnTo: 'remotes',
    help: false,
    remotes: { cursor: 0, top: 0, sortColumn: 'connections', sortDirection: 'desc', filter: '', editingFilter: false },
    clusters: { cursor: 0, top: 0, kind: 'prefix', expanded: null, inner: { cursor: 0, top: 0 } },
    host: { ip: null, scroll: 0 },
    message: null,
  };
}

/** Move a cursor and keep it inside the visible window. */
export function moveCursor(list: ListCursor, target: number, length: number, pageRows: number): ListCursor {
  const rows = Math.max(1, pageRows);
  const cursor = length <= 0 ? 0 : Math.min(length - 1, Math.max(0, target));
  let top = list.top;
  if (cursor < top) top = cursor;
  if (cursor >= top + rows) top = cursor - rows + 1;
  top = Math.max(0, Math.min(top, Math.max(0, length - rows)));
  return { cursor, top };
}

function tabScreens(context: ViewContext): readonly Screen[] {
  return context.mapAvailable ? TAB_SCREENS : TAB_SCREENS.filter((screen) => screen !== 'map');
}

export function reduce(state: TuiState, action: Action, context: ViewContext): TuiState {
  switch (action.type) {
    case 'toggle-help':
      return { ...state, help: !state.help };
    case 'message':
      return { ...state, message: action.text };
    case 'next-screen':
    case 'previous-screen': {
      const screens = tabScreens(context);
      const from = state.screen === 'host' ? state.returnTo : state.screen;
      const index = Math.max(0, screens.indexOf(from));
      const step = action.type === 'next-screen' ? 1 : -1;
      return { ...state, help: false, screen: screens[(index + step + screens.length) % screens.length]! };
    }
    case 'go':
      if (action.screen === 'map' && !context.mapAvailable) return { ...state, message: 'map needs a terminal of at least 100×30' };
      if (action.screen === 'host' && !state.host.ip) return state;
      return { ...state, help: false, screen: action.screen };
    case 'back':
      if (state.help) return { ...state, help: false };
      if (state.screen === 'host') return { ...state, screen: state.returnTo };
      if (state.screen === 'clusters' && state.clusters.expanded) return { ...state, clusters: { ...state.clusters, expanded: null, inner: { cursor: 0, top: 0 } } };
      if (state.screen === 'remotes' && state.remotes.filter) return { ...state, remotes: { ...state.remotes, filter: '', cursor: 0, top: 0 } };
      return state;
    case 'move':
    case 'page':
    case 'home':
    case 'end':
      return withList(state, context, (list) => {
        const target =
          action.type === 'move' ? list.cursor + action.delta
          : action.type === 'page' ? list.cursor + action.delta * Math.max(1, context.pageRows)
          : action.type === 'home' ? 0
          : context.listLength - 1;
        return moveCursor(list, target, context.listLength, context.pageRows);
      });
    case 'open':
      if (state.screen === 'clusters' && !state.clusters.expanded) {
        if (context.selectedClusterKey === null) return state;
        return { ...state, clusters: { ...state.clusters, expanded: { kind: state.clusters.kind, key: context.selectedClusterKey }, inner: { cursor: 0, top: 0 } } };
      }
      if ((state.screen === 'remotes' || state.screen === 'clusters' || state.screen === 'overview') && context.selectedIp) {
        return { ...state, screen: 'host', returnTo: state.screen, host: { ip: context.selectedIp, scroll: 0 } };
      }
      return state;
    case 'sort-column': {
      const index = REMOTE_COLUMNS.indexOf(state.remotes.sortColumn);
      const column = REMOTE_COLUMNS[(index + action.delta + REMOTE_COLUMNS.length) % REMOTE_COLUMNS.length]!;
      return { ...state, remotes: { ...state.remotes, sortColumn: column, sortDirection: DEFAULT_DIRECTION[column], cursor: 0, top: 0 } };
    }
    case 'sort-reverse':
      return { ...state, remotes: { ...state.remotes, sortDirection: state.remotes.sortDirection === 'asc' ? 'desc' : 'asc', cursor: 0, top: 0 } };
    case 'filter-start':
      return { ...state, screen: 'remotes', remotes: { ...state.remotes, editingFilter: true } };
    case 'filter-type':
      return { ...state, remotes: { ...state.remotes, filter: (state.remotes.filter + action.text).slice(0, 128), cursor: 0, top: 0 } };
    case 'filter-backspace':
      return { ...state, remotes: { ...state.remotes, filter: [...state.remotes.filter].slice(0, -1).join(''), cursor: 0, top: 0 } };
    case 'filter-commit':
      return { ...state, remotes: { ...state.remotes, editingFilter: false } };
    case 'filter-cancel':
      return { ...state, remotes: { ...state.remotes, editingFilter: false, filter: '', cursor: 0, top: 0 } };
    case 'cluster-kind': {
      const index = CLUSTER_KINDS.indexOf(state.clusters.kind);
      const kind = CLUSTER_KINDS[(index + action.delta + CLUSTER_KINDS.length) % CLUSTER_KINDS.length]!;
      return { ...state, clusters: { kind, cursor: 0, top: 0, expanded: null, inner: { cursor: 0, top: 0 } } };
    }
    case 'export':
    case 'trace':
    case 'whois':
    case 'quit':
      // Effects: app.tsx performs them and reports back with 'message'.
      return state;
  }
}

/** Apply a cursor change to whichever list the screen shows. */
function withList(state: TuiState, _context: ViewContext, change: (list: ListCursor) => ListCursor): TuiState {
  switch (state.screen) {
    case 'remotes': {
      const { cursor, top } = change(state.remotes);
      return { ...state, remotes: { ...state.remotes, cursor, top } };
    }
    case 'clusters': {
      if (state.clusters.expanded) return { ...state, clusters: { ...state.clusters, inner: change(state.clusters.inner) } };
      const { cursor, top } = change(state.clusters);
      return { ...state, clusters: { ...state.clusters, cursor, top } };
    }
    case 'host': {
      // The host screen scrolls: listLength is its number of scroll positions.
      return { ...state, host: { ...state.host, scroll: change({ cursor: state.host.scroll, top: state.host.scroll }).cursor } };
    }
    default:
      return state;
  }
}
