import { describe, expect, it } from 'vitest';
import { footerKeys, KEY_HELP, keyToAction, type KeyMode } from '../../src/tui/keymap.js';
import { type Action, initialState, moveCursor, reduce, type TuiState, type ViewContext } from '../../src/tui/state.js';

const context = (overrides: Partial<ViewContext> = {}): ViewContext => ({ listLength: 100, pageRows: 10, selectedIp: '147.46.195.90', selectedClusterKey: '147.46.0.0/16', mapAvailable: true, ...overrides });
const run = (state: TuiState, actions: Action[], ctx = context()) => actions.reduce((current, action) => reduce(current, action, ctx), state);
const mode = (overrides: Partial<KeyMode> = {}): KeyMode => ({ screen: 'remotes', editingFilter: false, help: false, ...overrides });

describe('keyToAction', () => {
  it.each([
    ['q', {}, mode(), { type: 'quit' }],
    ['c', { ctrl: true }, mode(), { type: 'quit' }],
    ['?', {}, mode(), { type: 'toggle-help' }],
    ['j', {}, mode(), { type: 'move', delta: 1 }],
    ['k', {}, mode(), { type: 'move', delta: -1 }],
    ['', { downArrow: true }, mode(), { type: 'move', delta: 1 }],
    ['', { upArrow: true }, mode(), { type: 'move', delta: -1 }],
    ['', { pageDown: true }, mode(), { type: 'page', delta: 1 }],
    ['', { pageUp: true }, mode(), { type: 'page', delta: -1 }],
    ['', { tab: true }, mode(), { type: 'next-screen' }],
    ['', { tab: true, shift: true }, mode(), { type: 'previous-screen' }],
    ['', { return: true }, mode(), { type: 'open' }],
    ['', { escape: true }, mode(), { type: 'back' }],
    ['/', {}, mode(), { type: 'filter-start' }],
    ['s', {}, mode(), { type: 'sort-column', delta: 1 }],
    ['r', {}, mode(), { type: 'sort-reverse' }],
    ['s', {}, mode({ screen: 'overview' }), null],
    ['', { rightArrow: true }, mode({ screen: 'clusters' }), { type: 'cluster-kind', delta: 1 }],
    ['', { rightArrow: true }, mode({ screen: 'overview' }), { type: 'next-screen' }],
    ['t', {}, mode({ screen: 'host' }), { type: 'trace' }],
    ['t', {}, mode(), null],
    ['e', {}, mode(), { type: 'export' }],
    ['2', {}, mode({ screen: 'overview' }), { type: 'go', screen: 'remotes' }],
    ['x', {}, mode(), null],
  ] as const)('%j %j on %j', (input, key, keyMode, expected) => {
    expect(keyToAction(input, key, keyMode)).toEqual(expected);
  });

  it('while typing a filter, letters are text (q does not quit)', () => {
    const editing = mode({ editingFilter: true });
    expect(keyToAction('q', {}, editing)).toEqual({ type: 'filter-type', text: 'q' });
    expect(keyToAction('147.46.', {}, editing)).toEqual({ type: 'filter-type', text: '147.46.' });
    expect(keyToAction('', { backspace: true }, editing)).toEqual({ type: 'filter-backspace' });
    expect(keyToAction('', { return: true }, editing)).toEqual({ type: 'filter-commit' });
    expect(keyToAction('', { escape: true }, editing)).toEqual({ type: 'filter-cancel' });
    expect(keyToAction('\u001b[2J', {}, editing)).toEqual({ type: 'filter-type', text: '[2J' });
    expect(keyToAction('\u0007', {}, editing)).toBeNull();
  });

  it('documents every screen it binds in the footer', () => {
    expect(footerKeys('remotes').map((entry) => entry.keys)).toContain('/');
    expect(footerKeys('overview').map((entry) => entry.keys)).not.toContain('/');
    expect(footerKeys('host').map((entry) => entry.keys)).toContain('t');
    expect(KEY_HELP.map((entry) => entry.keys)).toContain('q');
  });
});

describe('reduce', () => {
  it('cycles screens with Tab, skipping the map when it does not fit', () => {
    const state = initialState();
    expect(run(state, [{ type: 'next-screen' }]).screen).toBe('remotes');
    expect(run(state, [{ type: 'previous-screen' }]).screen).toBe('map');
    expect(run(state, [{ type: 'previous-screen' }], context({ mapAvailable: false })).screen).toBe('timeline');
    expect(run(state, [{ type: 'go', screen: 'map' }], context({ mapAvailable: false })).screen).toBe('overview');
  });

  it('moves the cursor and keeps it in the window', () => {
    const remotes = run({ ...initialState(), screen: 'remotes' }, [{ type: 'move', delta: 1 }, { type: 'move', delta: 1 }]).remotes;
    expect([remotes.cursor, remotes.top]).toEqual([2, 0]);
    const paged = run({ ...initialState(), screen: 'remotes' }, [{ type: 'page', delta: 1 }, { type: 'page', delta: 1 }]).remotes;
    expect([paged.cursor, paged.top]).toEqual([20, 11]);
    const end = run({ ...initialState(), screen: 'remotes' }, [{ type: 'end' }]).remotes;
    expect([end.cursor, end.top]).toEqual([99, 90]);
    const home = run({ ...initialState(), screen: 'remotes' }, [{ type: 'end' }, { type: 'home' }]).remotes;
    expect([home.cursor, home.top]).toEqual([0, 0]);
    const up = run({ ...initialState(), screen: 'remotes' }, [{ type: 'move', delta: -5 }]).remotes;
    expect(up.cursor).toBe(0);
  });

  it('clamps on an empty list', () => {
    expect(moveCursor({ cursor: 3, top: 2 }, 5, 0, 10)).toEqual({ cursor: 0, top: 0 });
    expect(moveCursor({ cursor: 0, top: 0 }, 50, 20, 10)).toEqual({ cursor: 19, top: 10 });
  });

  it('opens a host from remotes and goes back with Esc', () => {
    const opened = run({ ...initialState(), screen: 'remotes' }, [{ type: 'open' }]);
    expect(opened.screen).toBe('host');
    expect(opened.host.ip).toBe('147.46.195.90');
    expect(run(opened, [{ type: 'back' }]).screen).toBe('remotes');
    expect(run({ ...initialState(), screen: 'remotes' }, [{ type: 'open' }], context({ selectedIp: null })).screen).toBe('remotes');
  });

  it('types, edits, commits and clears a filter', () => {
    let state = run(initialState(), [{ type: 'filter-start' }, { type: 'filter-type', text: '147.46.' }, { type: 'filter-type', text: 'x' }, { type: 'filter-backspace' }]);
    expect(state.screen).toBe('remotes');
    expect(state.remotes.filter).toBe('147.46.');
    expect(state.remotes.editingFilter).toBe(true);
    state = run(state, [{ type: 'filter-commit' }]);
    expect(state.remotes.editingFilter).toBe(false);
    expect(state.remotes.filter).toBe('147.46.');
    expect(run(state, [{ type: 'back' }]).remotes.filter).toBe('');
    expect(run(state, [{ type: 'filter-start' }, { type: 'filter-cancel' }]).remotes.filter).toBe('');
  });

  it('changes and reverses the sort, resetting the cursor', () => {
    const moved = run({ ...initialState(), screen: 'remotes' }, [{ type: 'move', delta: 5 }]);
    const sorted = run(moved, [{ type: 'sort-column', delta: 1 }]);
    expect(sorted.remotes.sortColumn).toBe('established');
    expect(sorted.remotes.sortDirection).toBe('desc');
    expect(sorted.remotes.cursor).toBe(0);
    expect(run(sorted, [{ type: 'sort-reverse' }]).remotes.sortDirection).toBe('asc');
    expect(run(initialState(), [{ type: 'sort-column', delta: -1 }]).remotes.sortColumn).toBe('ip');
  });

  it('expands a cluster, moves inside it, opens a host and collapses', () => {
    let state = run({ ...initialState(), screen: 'clusters' }, [{ type: 'open' }]);
    expect(state.clusters.expanded).toEqual({ kind: 'prefix', key: '147.46.0.0/16' });
    state = run(state, [{ type: 'move', delta: 1 }], context({ listLength: 3 }));
    expect(state.clusters.inner.cursor).toBe(1);
    const host = run(state, [{ type: 'open' }]);
    expect(host.screen).toBe('host');
    expect(run(host, [{ type: 'back' }]).screen).toBe('clusters');
    expect(run(state, [{ type: 'back' }]).clusters.expanded).toBeNull();
    expect(run(state, [{ type: 'cluster-kind', delta: 1 }]).clusters).toMatchObject({ kind: 'asn', expanded: null });
  });

  it('toggles help and closes it with Esc before anything else', () => {
    const help = run({ ...initialState(), screen: 'host', host: { ip: '1.2.3.4', scroll: 0 } }, [{ type: 'toggle-help' }]);
    expect(help.help).toBe(true);
    const closed = run(help, [{ type: 'back' }]);
    expect(closed.help).toBe(false);
    expect(closed.screen).toBe('host');
  });

  it('leaves effects to the app', () => {
    const state = initialState();
    for (const type of ['export', 'trace', 'quit'] as const) expect(reduce(state, { type }, context())).toBe(state);
  });
});

describe('reduce (property)', () => {
  it('any key sequence keeps every cursor inside its list and never throws', async () => {
    const fc = (await import('fast-check')).default;
    const keyArb = fc.oneof(
      fc.constantFrom('j', 'k', 'g', 'G', ' ', '/', 's', 'S', 'r', 'h', 'l', 'e', 't', '?', '1', '2', '3', '4', '5', 'x', 'q'),
      fc.string({ maxLength: 4 }),
      fc.record({ downArrow: fc.boolean(), upArrow: fc.boolean(), pageDown: fc.boolean(), pageUp: fc.boolean(), return: fc.boolean(), escape: fc.boolean(), tab: fc.boolean(), shift: fc.boolean(), backspace: fc.boolean(), leftArrow: fc.boolean(), rightArrow: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 60 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), (keys, listLength, pageRows, mapAvailable) => {
        let state = initialState();
        const ctx = context({ listLength, pageRows, mapAvailable, selectedIp: listLength > 0 ? '147.46.195.90' : null });
        for (const key of keys) {
          const action = typeof key === 'string' ? keyToAction(key, {}, { screen: state.screen, editingFilter: state.remotes.editingFilter, help: state.help }) : keyToAction('', key, { screen: state.screen, editingFilter: state.remotes.editingFilter, help: state.help });
          if (action) state = reduce(state, action, ctx);
        }
        for (const list of [state.remotes, state.clusters, state.clusters.inner]) {
          expect(list.cursor).toBeGreaterThanOrEqual(0);
          expect(list.cursor).toBeLessThanOrEqual(Math.max(0, listLength - 1));
          expect(list.top).toBeGreaterThanOrEqual(0);
          expect(list.top).toBeLessThanOrEqual(list.cursor);
          expect(list.cursor - list.top).toBeLessThan(Math.max(1, pageRows));
        }
        if (!mapAvailable) expect(state.screen).not.toBe('map');
        expect(state.remotes.filter.length).toBeLessThanOrEqual(128);
      }),
      { numRuns: 300 },
    );
  });
});
