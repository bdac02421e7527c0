// Keys -> actions, pure. The footer and the help overlay are built from KEY_HELP
// so what is documented is what is bound.
import type { Action, Screen } from './state.js';

/** The subset of ink's Key the bindings read (so tests need not build a full Key). */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageDown?: boolean;
  pageUp?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

export interface KeyMode {
  screen: Screen;
  editingFilter: boolean;
  help: boolean;
}

export function keyToAction(input: string, key: KeyPress, mode: KeyMode): Action | null {
  if (mode.editingFilter) {
    if (key.escape) return { type: 'filter-cancel' };
    if (key.return) return { type: 'filter-commit' };
    if (key.backspace || key.delete) return { type: 'filter-backspace' };
    if (key.ctrl || key.meta || key.tab) return null;
    // Paste and typing arrive as text; keep printable characters only.
    const printable = [...input].filter((char) => char >= ' ' && char !== '\u007f').join('');
    return printable ? { type: 'filter-type', text: printable } : null;
  }
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (key.tab) return key.shift ? { type: 'previous-screen' } : { type: 'next-screen' };
  if (key.escape) return { type: 'back' };
  if (key.return) return { type: 'open' };
  if (key.downArrow) return { type: 'move', delta: 1 };
  if (key.upArrow) return { type: 'move', delta: -1 };
  if (key.pageDown || (key.ctrl && input === 'f')) return { type: 'page', delta: 1 };
  if (key.pageUp || (key.ctrl && input === 'b')) return { type: 'page', delta: -1 };
  if (key.home) return { type: 'home' };
  if (key.end) return { type: 'end' };
  if (key.leftArrow || key.rightArrow) {
    const delta = key.rightArrow ? 1 : -1;
    if (mode.screen === 'clusters') return { type: 'cluster-kind', delta };
    if (mode.screen === 'remotes') return { type: 'sort-column', delta };
    return { type: delta === 1 ? 'next-screen' : 'previous-screen' };
  }
  if (key.ctrl || key.meta) return null;
  switch (input) {
    case 'q': return { type: 'quit' };
    case '?': return { type: 'toggle-help' };
    case 'j': return { type: 'move', delta: 1 };
    case 'k': return { type: 'move', delta: -1 };
    case ' ': return { type: 'page', delta: 1 };
    case 'g': return { type: 'home' };
    case 'G': return { type: 'end' };
    case '/': return { type: 'filter-start' };
    case 's': return mode.screen === 'remotes' ? { type: 'sort-column', delta: 1 } : null;
    case 'S': return mode.screen === 'remotes' ? { type: 'sort-column', delta: -1 } : null;
    case 'r': return mode.screen === 'remotes' ? { type: 'sort-reverse' } : null;
    case 'h': return mode.screen === 'clusters' ? { type: 'cluster-kind', delta: -1 } : null;
    case 'l': return mode.screen === 'clusters' ? { type: 'cluster-kind', delta: 1 } : null;
    case 'e': return { type: 'export' };
    case 't': return mode.screen === 'host' ? { type: 'trace' } : null;
    case 'w': return mode.screen === 'host' ? { type: 'whois' } : null;
    case '1': return { type: 'go', screen: 'overview' };
    case '2': return { type: 'go', screen: 'remotes' };
    case '3': return { type: 'go', screen: 'clusters' };
    case '4': return { type: 'go', screen: 'timeline' };
    case '5': return { type: 'go', screen: 'map' };
    default: return null;
  }
}

export interface KeyHelp {
  keys: string;
  what: string;
  /** Screens where the footer shows it; empty = everywhere. */
  screens: Screen[];
}

export const KEY_HELP: readonly KeyHelp[] = [
  { keys: 'Tab/S-Tab', what: 'next/previous screen', screens: [] },
  { keys: '1-5', what: 'overview remotes clusters timeline map', screens: [] },
  { keys: 'j/k ↑/↓', what: 'move', screens: ['remotes', 'clusters', 'host'] },
  { keys: 'PgDn/PgUp space', what: 'page', screens: ['remotes', 'clusters'] },
  { keys: 'g/G', what: 'first/last', screens: ['remotes', 'clusters'] },
  { keys: 'Enter', what: 'open host / expand cluster', screens: ['remotes', 'clusters'] },
  { keys: 'Esc', what: 'back / clear filter', screens: ['host', 'clusters', 'remotes'] },
  { keys: '/', what: 'filter: IP, prefix or CIDR, country, AS, name', screens: ['remotes'] },
  { keys: 's/S ←/→', what: 'sort column', screens: ['remotes'] },
  { keys: 'r', what: 'reverse sort', screens: ['remotes'] },
  { keys: 'h/l ←/→', what: 'cluster kind', screens: ['clusters'] },
  { keys: 't', what: 'traceroute this host now', screens: ['host'] },
  { keys: 'w', what: 'ask the registry: owner, abuse contact (RDAP)', screens: ['host'] },
  { keys: 'e', what: 'export the report (markdown, map, HTML page)', screens: [] },
  { keys: '?', what: 'help', screens: [] },
  { keys: 'q', what: 'quit', screens: [] },
];

/** Short key list for the footer of one screen. */
export function footerKeys(screen: Screen): KeyHelp[] {
  // Quit and help first: on a narrow terminal the end of the footer is cut.
  const first = ['q', '?'];
  const shown = KEY_HELP.filter((entry) => entry.keys !== '1-5' && (entry.screens.length === 0 || entry.screens.includes(screen)));
  return [...shown.filter((entry) => first.includes(entry.keys)).sort((a, b) => first.indexOf(a.keys) - first.indexOf(b.keys)), ...shown.filter((entry) => !first.includes(entry.keys))];
}
