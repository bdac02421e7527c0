// The HTML report's own script (inline; the page's CSP admits it by its sha256 and
// nothing else). It reads the JSON island and renders the interactive tables, map
// tooltips and host panel. Safety rule: text from the data only ever reaches the page
// through textContent or a DOM property, never as markup; the one outside link kind
// (RDAP) is set only when it parses as an https: URL.
// Plain ES2019 without template literals, so it can live in this string as written.
import { GRID_ROW_HEIGHT_PX } from './html-style.js';

/**
 * Runs in <head>, before the body is parsed: with scripts on, the plain tables are
 * hidden from the start, so a 50k-remote page never lays them out.
 */
export const EARLY_SCRIPT = "document.documentElement.classList.add('js')";

export const PAGE_SCRIPT = String.raw`
(function () {
'use strict';
var ROW_H = ${GRID_ROW_HEIGHT_PX};
var root = document.documentElement;
var island = document.getElementById('report-data');
if (!island) return;
var D = JSON.parse(island.textContent || '{}');
root.classList.add('js');
var S = D.strings || [];
var R = D.remotes || [];
var C = {};
(D.remoteColumns || []).forEach(function (name, index) { C[name] = index; });
// Thousands separators by hand: Intl.NumberFormat costs a microsecond a call, and the
// search index of 50k remotes formats a million numbers.
function count(n) {
  if (n === null || n === undefined) return '';
  var text = String(n);
  return n < 1000 && n > -1000 ? text : text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
function pct(x) { return (x * 100).toFixed(1) + '%'; }
var totalConnections = D.totalConnections || 0;
function str(i) { return typeof i === 'number' && i >= 0 && i < S.length ? S[i] : ''; }
function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function plural(n, one, many) { return count(n) + ' ' + (n === 1 ? one : (many || one + 's')); }
function pairs(list, name) {
  var out = [];
  for (var k = 0; k + 1 < list.length; k += 2) out.push(name(list[k]) + ' ' + count(list[k + 1]));
  return out;
}
function same(x) { return String(x); }

// ---- remote accessors -------------------------------------------------------
function cellOf(i, name) { return R[i][C[name]]; }
function ipOf(i) { return cellOf(i, 'ip'); }
function statesText(i) { return pairs(cellOf(i, 'states'), str).join(', '); }
function portsText(i) { return pairs(cellOf(i, 'localPorts'), same).join(', '); }
function programsText(i) { return pairs(cellOf(i, 'programs'), str).join(', '); }
function namesOf(i) { return cellOf(i, 'rdnsNames').map(str); }
function rdnsText(i) {
  var names = namesOf(i);
  return names.length > 0 ? names[0] + (names.length > 1 ? ' +' + (names.length - 1) : '') : str(cellOf(i, 'rdnsStatus'));
}
function countryText(i) {
  var special = str(cellOf(i, 'special'));
  if (special) return special;
  return [str(cellOf(i, 'country')), str(cellOf(i, 'countryName'))].filter(Boolean).join(' ');
}
function asnText(i) { var asn = cellOf(i, 'asn'); return asn === null ? '' : 'AS' + asn; }
function institutionText(i) {
  var name = str(cellOf(i, 'institution'));
  return name ? name + ' (' + str(cellOf(i, 'institutionType')) + ')' : '';
}
function ipSortKey(i) {
  var ip = ipOf(i);
  if (ip.indexOf(':') < 0) return '4' + ip.split('.').map(function (part) { return ('00' + part).slice(-3); }).join('.');
  return '6' + ip.toLowerCase();
}
var byIp = new Map();
R.forEach(function (row, i) { byIp.set(row[C.ip], i); });

// ---- address prefixes (prefix clusters filter the remotes by containment) ------
function ipBits(ip) {
  if (ip.indexOf(':') < 0) {
    var parts = ip.split('.');
    if (parts.length !== 4) return null;
    var v4 = 0n;
    for (var p = 0; p < 4; p++) v4 = (v4 << 8n) | BigInt(Number(parts[p]) & 255);
    return { version: 4, value: v4 };
  }
  var halves = ip.split('::');
  var head = halves[0] ? halves[0].split(':') : [];
  var tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  var groups = head.concat(new Array(Math.max(0, 8 - head.length - tail.length)).fill('0'), tail);
  var v6 = 0n;
  for (var g = 0; g < 8; g++) v6 = (v6 << 16n) | BigInt(parseInt(groups[g] || '0', 16) & 65535);
  return { version: 6, value: v6 };
}
function prefixTest(cidr) {
  var slash = cidr.indexOf('/');
  var base = ipBits(slash < 0 ? cidr : cidr.slice(0, slash));
  if (!base) return function () { return false; };
  var width = base.version === 4 ? 32 : 128;
  var length = slash < 0 ? width : Number(cidr.slice(slash + 1));
  var shift = BigInt(width - length);
  var want = base.value >> shift;
  return function (i) {
    var bits = ipBits(ipOf(i));
    return bits !== null && bits.version === base.version && (bits.value >> shift) === want;
  };
}

// ---- the interactive table ---------------------------------------------------
// Only the rows in view exist in the DOM (plus a margin): 50k remotes cost what 40 do.
function Grid(options) {
  var self = this;
  self.options = options;
  self.columns = options.columns;
  self.size = options.size;
  self.chips = [];
  self.tokens = [];
  self.haystack = null;
  self.sortColumn = options.sortColumn;
  self.sortDescending = options.sortDescending !== false;
  self.order = null;
  self.view = null;
  self.version = 0;
  self.narrowFrom = null;
  self.active = -1;
  self.first = -1;
  self.last = -1;

  var host = options.host;
  var tools = el('div', 'grid-tools');
  var label = el('label');
  self.input = el('input');
  self.input.type = 'search';
  self.input.placeholder = options.placeholder;
  self.input.setAttribute('aria-label', options.placeholder);
  self.input.id = 'filter-' + options.name;
  label.appendChild(self.input);
  self.chipBox = el('span', 'chips');
  self.counter = el('span', 'grid-count');
  self.counter.setAttribute('aria-live', 'polite');
  tools.appendChild(label);
  tools.appendChild(self.chipBox);
  tools.appendChild(self.counter);

  self.scroller = el('div', 'grid-scroll');
  self.scroller.tabIndex = 0;
  self.scroller.setAttribute('role', 'grid');
  self.scroller.setAttribute('aria-label', options.label + ' (arrow keys move, Enter opens)');
  self.scroller.id = 'grid-' + options.name;
  var table = el('table', 'grid-table');
  var colgroup = el('colgroup');
  var headRow = el('tr');
  self.headers = self.columns.map(function (column, index) {
    var col = el('col');
    col.style.width = column.width;
    colgroup.appendChild(col);
    var th = el('th', column.num ? 'num' : '');
    th.setAttribute('scope', 'col');
    var button = el('button', '', column.label);
    button.type = 'button';
    button.title = 'Sort by ' + column.label;
    button.addEventListener('click', function () { self.sortBy(index); });
    th.appendChild(button);
    headRow.appendChild(th);
    return th;
  });
  var thead = el('thead');
  thead.appendChild(headRow);
  self.body = el('tbody');
  self.topPad = self.padRow();
  self.bottomPad = self.padRow();
  self.body.appendChild(self.topPad);
  self.body.appendChild(self.bottomPad);
  table.appendChild(colgroup);
  table.appendChild(thead);
  table.appendChild(self.body);
  self.scroller.appendChild(table);
  var visibleRows = Math.min(options.maxRows || 18, Math.max(1, self.size));
  self.scroller.style.height = ((visibleRows + 1) * ROW_H + 6) + 'px';
  host.appendChild(tools);
  host.appendChild(self.scroller);

  var scheduled = false;
  self.scroller.addEventListener('scroll', function () {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; self.render(false); });
  });
  self.input.addEventListener('input', function () { self.setText(self.input.value); });
  self.input.addEventListener('keydown', function (event) {
    if (event.key === 'ArrowDown' || event.key === 'Enter') { event.preventDefault(); self.scroller.focus(); if (self.active < 0) self.moveTo(0); }
  });
  self.scroller.addEventListener('keydown', function (event) { self.onKey(event); });
  self.body.addEventListener('click', function (event) {
    var row = event.target.closest('tr[data-k]');
    if (!row) return;
    self.moveTo(Number(row.getAttribute('data-k')));
    self.open();
  });
  self.applySort();
}
Grid.prototype.padRow = function () {
  var tr = el('tr', 'pad');
  tr.setAttribute('aria-hidden', 'true');
  var td = el('td');
  td.colSpan = this.columns.length;
  tr.appendChild(td);
  return tr;
};
Grid.prototype.sortBy = function (index) {
  if (this.sortColumn === index) this.sortDescending = !this.sortDescending;
  else { this.sortColumn = index; this.sortDescending = Boolean(this.columns[index].num); }
  this.applySort();
};
Grid.prototype.applySort = function () {
  this.version++;
  var column = this.columns[this.sortColumn];
  var n = this.size;
  var keys = new Array(n);
  for (var i = 0; i < n; i++) keys[i] = column.sort ? column.sort(i) : column.text(i).toLowerCase();
  var order = new Int32Array(n);
  for (var j = 0; j < n; j++) order[j] = j;
  var direction = this.sortDescending ? -1 : 1;
  order.sort(function (a, b) {
    var x = keys[a], y = keys[b];
    if (x < y) return -direction;
    if (x > y) return direction;
    return a - b;
  });
  this.order = order;
  var self = this;
  this.headers.forEach(function (th, index) {
    if (index === self.sortColumn) th.setAttribute('aria-sort', self.sortDescending ? 'descending' : 'ascending');
    else th.removeAttribute('aria-sort');
  });
  this.applyFilter();
};
Grid.prototype.setText = function (text) {
  var lowered = text.toLowerCase();
  var previous = this.narrowFrom;
  // Typing on (appending to the text): the rows that matched before are the only candidates.
  var narrowing = previous !== null && previous.version === this.version && lowered.indexOf(previous.text) === 0;
  this.tokens = lowered.split(/\s+/).filter(Boolean);
  this.applyFilter(narrowing ? previous.view : null);
  this.narrowFrom = { text: lowered, version: this.version, view: this.view };
};
// The search text of every row, built in slices after the page is drawn so the
// first keystroke does not pay for it (and built at once if a keystroke comes first).
Grid.prototype.haystackRow = function (i) {
  var parts = [];
  for (var c = 0; c < this.columns.length; c++) parts.push(this.columns[c].text(i));
  if (this.options.extraText) parts.push(this.options.extraText(i));
  return parts.join('\u0001').toLowerCase();
};
Grid.prototype.buildHaystack = function (deadline) {
  if (!this.hayParts) { this.hayParts = new Array(this.size); this.hayDone = 0; }
  var hay = this.hayParts;
  while (this.hayDone < this.size) {
    var end = Math.min(this.size, this.hayDone + 2000);
    for (var i = this.hayDone; i < end; i++) hay[i] = this.haystackRow(i);
    this.hayDone = end;
    if (deadline && performance.now() > deadline) return false;
  }
  this.haystack = hay;
  // All rows in one string with their start offsets: one native indexOf run over it finds a
  // token's rows faster than a call per row when most rows are candidates.
  var starts = new Int32Array(this.size + 1);
  var at = 0;
  for (var r = 0; r < this.size; r++) { starts[r] = at; at += hay[r].length + 1; }
  starts[this.size] = at;
  this.hayStarts = starts;
  this.hayText = hay.join(String.fromCharCode(10));
  root.setAttribute('data-search-ready', String(Math.round(performance.now())));
  return true;
};
// Rows whose search text contains the token, as a mark per row.
Grid.prototype.rowsWith = function (token) {
  var marks = new Uint8Array(this.size);
  var text = this.hayText, starts = this.hayStarts;
  var row = 0;
  var pos = text.indexOf(token, 0);
  while (pos >= 0) {
    while (row < this.size - 1 && starts[row + 1] <= pos) row++;
    marks[row] = 1;
    pos = text.indexOf(token, starts[row + 1]);
  }
  return marks;
};
Grid.prototype.buildHaystackLater = function () {
  var self = this;
  function slice() {
    if (self.haystack) return;
    if (!self.buildHaystack(performance.now() + 12)) setTimeout(slice, 0);
  }
  setTimeout(slice, 0);
};
Grid.prototype.applyFilter = function (from) {
  var tokens = this.tokens, chips = this.chips;
  if (tokens.length > 0 && !this.haystack) this.buildHaystack(0);
  var hay = this.haystack;
  var source = from || this.order;
  var view;
  if (tokens.length === 0 && chips.length === 0) view = this.order;
  else {
    var kept = new Int32Array(source.length);
    var n = 0;
    // Many candidates: the longest token's rows from one pass over all the text first.
    var marks = null, first = 0;
    if (tokens.length > 0 && source.length > 4000) {
      for (var f = 1; f < tokens.length; f++) if (tokens[f].length > tokens[first].length) first = f;
      marks = this.rowsWith(tokens[first]);
    }
    outer: for (var k = 0; k < source.length; k++) {
      var i = source[k];
      if (marks !== null && marks[i] === 0) continue;
      for (var c = 0; c < chips.length; c++) if (!chips[c].test(i)) continue outer;
      if (tokens.length > 0) {
        var text = hay[i];
        for (var t = 0; t < tokens.length; t++) if ((marks === null || t !== first) && text.indexOf(tokens[t]) < 0) continue outer;
      }
      kept[n++] = i;
    }
    view = kept.subarray(0, n);
  }
  this.view = view;
  this.active = view.length > 0 ? Math.min(Math.max(this.active, 0), view.length - 1) : -1;
  this.counter.textContent = (view.length === this.size ? '' : count(view.length) + ' of ') + plural(this.size, this.options.noun, this.options.nouns);
  this.scroller.scrollTop = 0;
  this.render(true);
};
Grid.prototype.render = function (force) {
  var view = this.view;
  var total = view.length;
  var height = this.scroller.clientHeight || 500;
  var first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_H) - 6);
  var last = Math.min(total, first + Math.ceil(height / ROW_H) + 12);
  if (!force && first === this.first && last === this.last) return;
  this.first = first;
  this.last = last;
  while (this.topPad.nextSibling && this.topPad.nextSibling !== this.bottomPad) this.body.removeChild(this.topPad.nextSibling);
  this.topPad.firstChild.style.height = (first * ROW_H) + 'px';
  this.bottomPad.firstChild.style.height = ((total - last) * ROW_H) + 'px';
  // Rows are clones of one prepared row (classes and roles set once): a keystroke redraws
  // about 45 rows of 15 cells, and per-cell attribute calls were most of its script time.
  if (!this.rowTemplate) {
    this.rowTemplate = el('tr');
    this.rowTemplate.setAttribute('role', 'row');
    for (var t = 0; t < this.columns.length; t++) {
      var cellTemplate = el('td', this.columns[t].num ? 'num' : '');
      cellTemplate.setAttribute('role', 'gridcell');
      this.rowTemplate.appendChild(cellTemplate);
    }
  }
  var fragment = document.createDocumentFragment();
  for (var k = first; k < last; k++) {
    var i = view[k];
    var tr = this.rowTemplate.cloneNode(true);
    tr.setAttribute('data-k', String(k));
    tr.setAttribute('aria-rowindex', String(k + 2));
    if (k === this.active) { tr.setAttribute('aria-selected', 'true'); tr.id = this.scroller.id + '-active'; }
    var td = tr.firstChild;
    for (var c = 0; c < this.columns.length; c++, td = td.nextSibling) {
      var column = this.columns[c];
      var text = column.text(i);
      td.textContent = text === null || text === undefined ? '' : String(text);
      if (column.title) td.title = td.textContent;
    }
    fragment.appendChild(tr);
  }
  this.body.insertBefore(fragment, this.bottomPad);
  if (total === 0) {
    var empty = el('tr');
    var cell = el('td', 'grid-empty', 'Nothing matches the filter.');
    cell.colSpan = this.columns.length;
    empty.appendChild(cell);
    this.body.insertBefore(empty, this.bottomPad);
  }
  this.scroller.setAttribute('aria-rowcount', String(total + 1));
  if (this.active >= first && this.active < last) this.scroller.setAttribute('aria-activedescendant', this.scroller.id + '-active');
  else this.scroller.removeAttribute('aria-activedescendant');
};
Grid.prototype.moveTo = function (k) {
  var total = this.view.length;
  if (total === 0) return;
  this.active = Math.max(0, Math.min(total - 1, k));
  var top = this.active * ROW_H;
  var header = ROW_H + 2;
  if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
  else if (top + ROW_H + header > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = top + ROW_H + header - this.scroller.clientHeight;
  this.render(true);
};
Grid.prototype.onKey = function (event) {
  var page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_H) - 2);
  var moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, j: 1, k: -1 };
  if (moves[event.key] !== undefined) { event.preventDefault(); this.moveTo((this.active < 0 ? 0 : this.active) + moves[event.key]); return; }
  if (event.key === 'Home') { event.preventDefault(); this.moveTo(0); return; }
  if (event.key === 'End') { event.preventDefault(); this.moveTo(this.view.length - 1); return; }
  if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); this.open(); }
};
Grid.prototype.open = function () {
  if (this.active < 0 || this.active >= this.view.length) return;
  if (this.options.onOpen) this.options.onOpen(this.view[this.active], this);
};
Grid.prototype.addChip = function (label, test) {
  var self = this;
  self.version++;
  self.chips = self.chips.filter(function (chip) { return chip.label !== label; });
  var chip = { label: label, test: test, node: el('span', 'chip') };
  chip.node.appendChild(el('span', '', label));
  var remove = el('button', '', '×');
  remove.type = 'button';
  remove.setAttribute('aria-label', 'Remove filter ' + label);
  remove.addEventListener('click', function () {
    self.version++;
    self.chips = self.chips.filter(function (other) { return other !== chip; });
    chip.node.remove();
    if (self.options.onChipsChanged) self.options.onChipsChanged(self);
    self.applyFilter();
  });
  chip.node.appendChild(remove);
  self.chipBox.textContent = '';
  self.chips.push(chip);
  self.chips.forEach(function (each) { self.chipBox.appendChild(each.node); });
  self.applyFilter();
};

// ---- page parts ----------------------------------------------------------------
var grids = {};
function mount(name, options) {
  var host = document.querySelector('.grid-host[data-grid="' + name + '"]');
  if (!host || options.size === 0) return null;
  options.host = host;
  options.name = name;
  grids[name] = new Grid(options);
  return grids[name];
}
function showRemotes(label, test) {
  var grid = grids.remotes;
  if (!grid) return;
  grid.addChip(label, test);
  var section = document.getElementById('remotes');
  if (section) section.scrollIntoView({ block: 'start' });
  grid.scroller.focus({ preventScroll: true });
}
function setOf(ips) {
  var wanted = new Set();
  ips.forEach(function (ip) { var i = byIp.get(ip); if (i !== undefined) wanted.add(i); });
  return function (i) { return wanted.has(i); };
}

var numberColumn = function (label, value, width, text) {
  return { label: label, num: true, width: width, sort: value, text: text || function (i) { return count(value(i)); } };
};
var textColumn = function (label, text, width) { return { label: label, width: width, text: text, title: true }; };

function listsText(i) { return cellOf(i, 'listedIn').map(function (hit) { return str(hit[0]); }).join(', '); }
function abuseText(i) { var network = cellOf(i, 'network'); return network ? network[7].map(str).join(', ') || str(network[8]) : ''; }
// Columns that exist only when the report has their data (fleet hosts, RDAP, blocklists).
var optionalRemoteColumns = [];
if (D.hosts) optionalRemoteColumns.push({ label: 'Hosts', num: true, width: '7ch', text: function (i) { return count(cellOf(i, 'hosts').length); }, sort: function (i) { return cellOf(i, 'hosts').length; } });
if (D.contacts) optionalRemoteColumns.push(textColumn('Abuse contact', abuseText, '22ch'));
if (D.blocklistHits) optionalRemoteColumns.push(textColumn('Listed in', listsText, '16ch'));

mount('remotes', {
  label: 'Remotes', noun: 'remote', placeholder: 'Filter remotes (address, name, network, country, port…)',
  size: R.length, maxRows: 18, sortColumn: 1,
  columns: [
    { label: 'Remote', width: '16ch', text: ipOf, sort: ipSortKey },
    numberColumn('Connections', function (i) { return cellOf(i, 'connections'); }, '14ch'),
    numberColumn('Share', function (i) { return cellOf(i, 'connections'); }, '8ch', function (i) { return totalConnections > 0 ? pct(cellOf(i, 'connections') / totalConnections) : ''; }),
    textColumn('States', statesText, '20ch'),
    textColumn('Local ports', portsText, '12ch'),
    textColumn('Programs', programsText, '12ch'),
    textColumn('rDNS', rdnsText, '20ch'),
    textColumn('Country', countryText, '14ch'),
    textColumn('City', function (i) { return str(cellOf(i, 'city')); }, '12ch'),
    { label: 'ASN', num: true, width: '9ch', text: asnText, sort: function (i) { var asn = cellOf(i, 'asn'); return asn === null ? -1 : asn; } },
    textColumn('Organisation', function (i) { return str(cellOf(i, 'asOrg')); }, '22ch'),
    textColumn('Institution', institutionText, '24ch'),
  ].concat(optionalRemoteColumns),
  extraText: function (i) {
    var network = cellOf(i, 'network');
    var parts = [namesOf(i).join(' '), str(cellOf(i, 'rdnsStatus')), cellOf(i, 'hosts').map(str).join(' '), listsText(i)];
    if (network) parts.push(str(network[1]), str(network[2]), str(network[3]), network[7].map(str).join(' '));
    return parts.join(' ');
  },
  onOpen: function (i) { openHost(i); },
});

var clusters = D.clusters || [];
function clusterTest(cluster) {
  if (cluster.kind === 'asn') { var asn = Number(cluster.key); return function (i) { return cellOf(i, 'asn') === asn; }; }
  if (cluster.kind === 'country') return function (i) { return str(cellOf(i, 'country')) === cluster.key; };
  if (cluster.kind === 'institution') return function (i) { return str(cellOf(i, 'institution')) === cluster.key; };
  return prefixTest(cluster.key);
}
function clusterName(cluster) { return cluster.kind === 'asn' ? 'AS' + cluster.key : cluster.key; }
mount('clusters', {
  label: 'Clusters', noun: 'cluster', placeholder: 'Filter clusters', size: clusters.length, maxRows: 10, sortColumn: 3,
  columns: [
    textColumn('Kind', function (i) { return clusters[i].kind; }, '10ch'),
    textColumn('Cluster', function (i) { return clusterName(clusters[i]); }, '18ch'),
    textColumn('Label', function (i) { return clusters[i].label; }, '30ch'),
    numberColumn('Connections', function (i) { return clusters[i].connections; }, '16ch', function (i) {
      var cluster = clusters[i];
      return cluster.ownConnections !== null && cluster.ownConnections !== cluster.connections ? count(cluster.connections) + ' (' + count(cluster.ownConnections) + ' own)' : count(cluster.connections);
    }),
    numberColumn('Share', function (i) { return clusters[i].share; }, '8ch', function (i) { return pct(clusters[i].share); }),
    numberColumn('Remotes', function (i) { return clusters[i].remotes; }, '9ch'),
    textColumn('States', function (i) { return clusters[i].states; }, '26ch'),
  ],
  onOpen: function (i) { var cluster = clusters[i]; showRemotes(cluster.kind + ': ' + clusterName(cluster), clusterTest(cluster)); },
});

var countries = D.countries || [];
mount('countries', {
  label: 'Countries', noun: 'country', nouns: 'countries', placeholder: 'Filter countries', size: countries.length, maxRows: 10, sortColumn: 2,
  columns: [
    textColumn('Country', function (i) { return countries[i].country; }, '9ch'),
    textColumn('Name', function (i) { return countries[i].countryName; }, '26ch'),
    numberColumn('Connections', function (i) { return countries[i].connections; }, '12ch'),
    numberColumn('Remotes', function (i) { return countries[i].remotes; }, '10ch'),
  ],
  onOpen: function (i) { var code = countries[i].country; showRemotes('country: ' + code, function (r) { return str(cellOf(r, 'country')) === code; }); },
});

var institutions = D.institutions || [];
mount('institutions', {
  label: 'Institutions', noun: 'institution', placeholder: 'Filter institutions', size: institutions.length, maxRows: 10, sortColumn: 4,
  columns: [
    textColumn('Institution', function (i) { return institutions[i].name; }, '34ch'),
    textColumn('Type', function (i) { return institutions[i].type; }, '11ch'),
    { label: 'ASN', num: true, width: '9ch', text: function (i) { return institutions[i].asn === null ? '' : 'AS' + institutions[i].asn; }, sort: function (i) { return institutions[i].asn === null ? -1 : institutions[i].asn; } },
    textColumn('Country', function (i) { return institutions[i].country || ''; }, '9ch'),
    numberColumn('Connections', function (i) { return institutions[i].connections; }, '12ch'),
    numberColumn('Remotes', function (i) { return institutions[i].remotes; }, '10ch'),
  ],
  onOpen: function (i) {
    var institution = institutions[i];
    showRemotes('institution: ' + institution.name, function (r) { return str(cellOf(r, 'institution')) === institution.name && (institution.asn === null || cellOf(r, 'asn') === institution.asn); });
  },
});

var contacts = D.contacts || [];
mount('contacts', {
  label: 'Abuse contacts', noun: 'contact', placeholder: 'Filter contacts', size: contacts.length, maxRows: 10, sortColumn: 3,
  columns: [
    textColumn('Contact', function (i) { return contacts[i].key; }, '26ch'),
    textColumn('Name', function (i) { return [contacts[i].name, contacts[i].handle].filter(Boolean).join(', '); }, '22ch'),
    textColumn('Networks', function (i) { return contacts[i].networks; }, '30ch'),
    numberColumn('Connections', function (i) { return contacts[i].connections; }, '12ch'),
    numberColumn('Share', function (i) { return contacts[i].share; }, '8ch', function (i) { return pct(contacts[i].share); }),
    numberColumn('Remotes', function (i) { return contacts[i].addresses.length; }, '9ch'),
    textColumn('Source', function (i) { return contacts[i].source; }, '10ch'),
  ],
  extraText: function (i) { return contacts[i].emails.join(' ') + ' ' + contacts[i].phones.join(' '); },
  onOpen: function (i) { showRemotes('contact: ' + contacts[i].key, setOf(contacts[i].addresses)); },
});

var blocklistHits = D.blocklistHits || [];
mount('blocklists', {
  label: 'Remotes on blocklists', noun: 'listed remote', placeholder: 'Filter listed remotes', size: blocklistHits.length, maxRows: 10, sortColumn: 1,
  columns: [
    textColumn('Remote', function (i) { return blocklistHits[i].ip; }, '18ch'),
    numberColumn('Connections', function (i) { return blocklistHits[i].connections; }, '12ch'),
    textColumn('Listed in', function (i) { return blocklistHits[i].lists; }, '60ch'),
  ],
  onOpen: function (i) { var r = byIp.get(blocklistHits[i].ip); if (r !== undefined) openHost(r); },
});

var hosts = D.hosts || [];
function when(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : ''; }
mount('hosts', {
  label: 'Hosts', noun: 'host', placeholder: 'Filter hosts', size: hosts.length, maxRows: 10, sortColumn: 0, sortDescending: false,
  columns: [
    textColumn('Host', function (i) { return hosts[i].name; }, '24ch'),
    numberColumn('Snapshots', function (i) { return hosts[i].captures; }, '10ch'),
    textColumn('First', function (i) { return when(hosts[i].firstCapture); }, '22ch'),
    textColumn('Last', function (i) { return when(hosts[i].lastCapture); }, '22ch'),
    numberColumn('Connections', function (i) { return hosts[i].connections; }, '12ch'),
  ],
  onOpen: function (i) {
    var name = hosts[i].name;
    showRemotes('host: ' + name, function (r) { return cellOf(r, 'hosts').some(function (h) { return str(h) === name; }); });
  },
});

// ---- indicators: each lists its evidence remotes in the table ----------------
var indicators = D.indicators || [];
var indicatorsByIp = new Map();
indicators.forEach(function (indicator, index) {
  indicator.remotes.forEach(function (ip) {
    var list = indicatorsByIp.get(ip) || [];
    list.push(index);
    indicatorsByIp.set(ip, list);
  });
  var item = document.querySelector('.indicator[data-indicator="' + index + '"] .indicator-actions');
  if (!item || indicator.remotes.length === 0 || !grids.remotes) return;
  var button = el('button', '', 'List these ' + plural(indicator.remotes.length, 'remote') + ' in the table');
  button.type = 'button';
  button.addEventListener('click', function () { showRemotes('indicator: ' + indicator.kind, setOf(indicator.remotes)); });
  item.appendChild(button);
});

// ---- map: tooltips and click-to-filter ----------------------------------------
var places = D.places || [];
var tooltip = document.getElementById('map-tooltip');
var circles = Array.prototype.slice.call(document.querySelectorAll('.map-figure circle[data-rank]'));
function placeOfCircle(circle) { return Number(circle.getAttribute('data-rank')) - 1; }
function showTooltip(circle, x, y) {
  var place = places[placeOfCircle(circle)];
  if (!place || !tooltip) return;
  tooltip.textContent = '';
  tooltip.appendChild(el('strong', '', place.label));
  tooltip.appendChild(el('span', '', plural(place.connections, 'connection') + ' from ' + plural(place.remotes, 'remote') + ', ' + plural(place.networkCount, 'network')));
  if (place.networks.length > 0) {
    var list = el('ul');
    place.networks.forEach(function (network) { list.appendChild(el('li', '', network.name + ': ' + count(network.connections))); });
    if (place.networkCount > place.networks.length) list.appendChild(el('li', 'muted', 'and ' + plural(place.networkCount - place.networks.length, 'more network')));
    tooltip.appendChild(list);
  }
  tooltip.hidden = false;
  var left = Math.min(x + 14, window.innerWidth - tooltip.offsetWidth - 8);
  var top = y + 14 + tooltip.offsetHeight > window.innerHeight ? y - tooltip.offsetHeight - 10 : y + 14;
  tooltip.style.left = Math.max(4, left) + 'px';
  tooltip.style.top = Math.max(4, top) + 'px';
}
function hideTooltip() { if (tooltip) tooltip.hidden = true; }
function filterPlace(circle) {
  var index = placeOfCircle(circle);
  var place = places[index];
  if (!place) return;
  circles.forEach(function (other) { other.classList.toggle('selected', other === circle); });
  showRemotes('place: ' + place.label, function (i) { return cellOf(i, 'place') === index; });
}
circles.forEach(function (circle) {
  var place = places[placeOfCircle(circle)];
  var title = circle.querySelector('title');
  if (title) title.remove();
  circle.setAttribute('tabindex', '0');
  circle.setAttribute('role', 'button');
  if (place) circle.setAttribute('aria-label', place.label + ': ' + plural(place.connections, 'connection') + ', click to list its remotes');
  circle.addEventListener('mousemove', function (event) { showTooltip(circle, event.clientX, event.clientY); });
  circle.addEventListener('mouseleave', hideTooltip);
  circle.addEventListener('focus', function () { var box = circle.getBoundingClientRect(); showTooltip(circle, box.right, box.bottom); });
  circle.addEventListener('blur', hideTooltip);
  circle.addEventListener('click', function () { hideTooltip(); filterPlace(circle); });
  circle.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); hideTooltip(); filterPlace(circle); }
  });
});

// ---- host panel ----------------------------------------------------------------
var panel = document.getElementById('host-panel');
var returnFocus = null;
function row(list, term, value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
  list.appendChild(el('dt', '', term));
  var dd = el('dd');
  if (Array.isArray(value)) {
    var ul = el('ul');
    value.forEach(function (item) { ul.appendChild(el('li', '', item)); });
    dd.appendChild(ul);
  } else if (value instanceof Node) dd.appendChild(value);
  else dd.textContent = String(value);
  list.appendChild(dd);
}
function safeHttpsLink(url, text) {
  var parsed;
  try { parsed = new URL(url); } catch (error) { return null; }
  if (parsed.protocol !== 'https:') return null;
  var link = el('a', '', text || parsed.href);
  link.href = parsed.href;
  link.rel = 'noreferrer noopener';
  link.target = '_blank';
  return link;
}
function smallTable(headers, rows) {
  var table = el('table');
  var head = el('tr');
  headers.forEach(function (header) { head.appendChild(el('th', '', header)); });
  var thead = el('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  var body = el('tbody');
  rows.forEach(function (cells) {
    var tr = el('tr');
    cells.forEach(function (value) { tr.appendChild(el('td', '', value === null || value === undefined ? '' : value)); });
    body.appendChild(tr);
  });
  table.appendChild(body);
  return table;
}
function captureName(index) {
  var capture = (D.captures || [])[index];
  if (!capture) return '#' + (index + 1);
  return '#' + (index + 1) + ' ' + capture.path + (capture.capturedAt ? ' (' + capture.capturedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') + ')' : '');
}
function endpoint(address, port) {
  var text = str(address);
  if (port === null) return text + ':*';
  return (text.indexOf(':') >= 0 ? '[' + text + ']' : text) + ':' + port;
}
// The remote's first rows as the capture has them (file and line cite it), read back when the report was made.
function captureRowsOf(ip) {
  var section = D.captureRows;
  if (!section) return;
  var entry = Object.prototype.hasOwnProperty.call(section.byIp, ip) ? section.byIp[ip] : null;
  var heading = el('h3', '', 'Capture rows');
  heading.id = 'host-rows-title';
  panel.appendChild(heading);
  if (!entry) {
    panel.appendChild(el('p', 'meta', 'Rows are listed for the ' + count(section.remotes) + ' heaviest remotes only.'));
    return;
  }
  var rows = entry[1];
  var files = {};
  rows.forEach(function (cells) { files[cells[0]] = true; });
  var oneFile = Object.keys(files).length === 1;
  var from = oneFile && rows.length > 0 ? ' from ' + str(rows[0][0]) : '';
  panel.appendChild(el('p', 'meta', rows.length < entry[0]
    ? count(entry[0]) + ' rows in all; the first ' + count(rows.length) + from + ':'
    : plural(entry[0], 'row') + from + ':'));
  if (rows.length > 0) {
    var table = smallTable([oneFile ? 'Line' : 'File:line', 'Proto', 'Local', 'Remote', 'State', 'Queues', 'PID/Program'], rows.map(function (cells) {
      return [
        oneFile ? cells[1] : str(cells[0]) + ':' + cells[1], str(cells[2]), endpoint(cells[3], cells[4]), endpoint(cells[5], cells[6]), str(cells[7]),
        cells[8] === null && cells[9] === null ? '' : (cells[8] === null ? '-' : cells[8]) + '/' + (cells[9] === null ? '-' : cells[9]),
        [cells[10] === null ? '' : cells[10], str(cells[11])].filter(function (part) { return part !== ''; }).join('/'),
      ];
    }));
    table.querySelectorAll('th')[5].title = 'Recv-Q/Send-Q';
    table.setAttribute('aria-labelledby', 'host-rows-title');
    var scroller = el('div', 'capture-rows');
    scroller.appendChild(table);
    panel.appendChild(scroller);
  }
  entry[2].forEach(function (note) { panel.appendChild(el('p', 'meta', note)); });
}
function openHost(i) {
  if (!panel) return;
  if (panel.hidden) returnFocus = document.activeElement;
  var ip = ipOf(i);
  panel.textContent = '';
  var heading = el('h2');
  heading.id = 'host-panel-title';
  heading.appendChild(el('span', '', ip));
  var close = el('button', '', 'Close');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close the host panel');
  close.addEventListener('click', closeHost);
  heading.appendChild(close);
  panel.appendChild(heading);

  var facts = el('dl');
  row(facts, 'Connections', count(cellOf(i, 'connections')) + (totalConnections > 0 ? ' (' + pct(cellOf(i, 'connections') / totalConnections) + ' of all)' : ''));
  var firstCapture = cellOf(i, 'firstCapture'), lastCapture = cellOf(i, 'lastCapture');
  if ((D.captures || []).length > 1) row(facts, 'Seen', firstCapture === lastCapture ? 'in capture ' + captureName(firstCapture) : 'from capture ' + captureName(firstCapture) + ' to ' + captureName(lastCapture));
  row(facts, 'Special range', str(cellOf(i, 'special')));
  row(facts, 'Location', [str(cellOf(i, 'city')), str(cellOf(i, 'countryName')), str(cellOf(i, 'country')) ? '(' + str(cellOf(i, 'country')) + ')' : ''].filter(Boolean).join(', ').replace(', (', ' ('));
  row(facts, 'Network', [asnText(i), str(cellOf(i, 'asOrg'))].filter(Boolean).join(' '));
  row(facts, 'Institution', institutionText(i));
  var basis = str(cellOf(i, 'institutionBasis')), confidence = str(cellOf(i, 'institutionConfidence'));
  if (basis || confidence) row(facts, 'Classified by', [basis, confidence ? confidence + ' confidence' : ''].filter(Boolean).join(', '));
  row(facts, 'Attribution evidence', cellOf(i, 'institutionEvidence').map(str));
  row(facts, 'Seen on hosts', cellOf(i, 'hosts').map(str));
  panel.appendChild(el('h3', '', 'Attribution'));
  panel.appendChild(facts);

  var dns = el('dl');
  row(dns, 'Status', str(cellOf(i, 'rdnsStatus')));
  row(dns, 'PTR names', namesOf(i));
  row(dns, 'Forward-confirmed', str(cellOf(i, 'rdnsFcrdns')));
  row(dns, 'Answered by', str(cellOf(i, 'rdnsServer')));
  panel.appendChild(el('h3', '', 'Reverse DNS'));
  panel.appendChild(dns);

  var sockets = el('dl');
  row(sockets, 'States', pairs(cellOf(i, 'states'), str));
  row(sockets, 'Local ports', pairs(cellOf(i, 'localPorts'), same));
  row(sockets, 'Programs', pairs(cellOf(i, 'programs'), str));
  panel.appendChild(el('h3', '', 'Sockets'));
  panel.appendChild(sockets);
  captureRowsOf(ip);

  var fired = indicatorsByIp.get(ip) || [];
  if (fired.length > 0) {
    panel.appendChild(el('h3', '', 'Indicators naming it'));
    var list = el('ul');
    fired.forEach(function (index) {
      var item = el('li');
      var link = el('a', '', indicators[index].severity + ' ' + indicators[index].kind);
      link.href = '#indicator-' + (index + 1);
      link.addEventListener('click', closeHost);
      item.appendChild(link);
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  var verdict = cellOf(i, 'verdict');
  var trace = (D.traces || {})[ip];
  if (verdict || trace) {
    panel.appendChild(el('h3', '', 'Traceroute'));
    var traced = el('dl');
    if (verdict) {
      row(traced, 'Verdict', str(verdict[2]));
      row(traced, 'Confidence', str(verdict[1]));
      row(traced, 'Country', str(verdict[0]));
      row(traced, 'AS path', verdict[3].map(function (asn) { return 'AS' + asn; }).join(' → '));
    }
    if (trace) {
      row(traced, 'Reached', trace.reached ? 'yes' : 'no');
      row(traced, 'Source', trace.source);
    }
    panel.appendChild(traced);
    if (trace) {
      panel.appendChild(smallTable(['TTL', 'Address', 'Name', 'RTT ms', 'ASN', 'Organisation', 'Country'], trace.hops.map(function (hop) {
        return [hop[0], hop[1] || '*', hop[2], hop[3], hop[4] === null ? '' : 'AS' + hop[4], hop[5], hop[6]];
      })));
    }
  }

  var network = cellOf(i, 'network');
  if (network) {
    panel.appendChild(el('h3', '', 'Registration (RDAP)'));
    var registration = el('dl');
    row(registration, 'Status', str(network[0]));
    row(registration, 'Network', [str(network[1]), str(network[2])].filter(Boolean).join(', '));
    row(registration, 'Organisation', str(network[3]));
    row(registration, 'Registry', [str(network[4]), str(network[5])].filter(Boolean).join(', '));
    row(registration, 'Abuse contact', network[7].map(str).concat(str(network[8]) ? ['handle ' + str(network[8])] : []));
    row(registration, 'Found through', str(network[9]));
    var rdap = str(network[6]) ? safeHttpsLink(str(network[6]), str(network[6])) : null;
    if (rdap) row(registration, 'Record', rdap);
    panel.appendChild(registration);
  }
  var hits = cellOf(i, 'listedIn');
  if (hits.length > 0) {
    panel.appendChild(el('h3', '', 'Known elsewhere (blocklists)'));
    panel.appendChild(smallTable(['List', 'Entry'], hits.map(function (hit) { return [str(hit[0]), str(hit[1])]; })));
  }

  panel.hidden = false;
  close.focus();
}
function closeHost() {
  if (!panel || panel.hidden) return;
  panel.hidden = true;
  if (returnFocus && typeof returnFocus.focus === 'function') returnFocus.focus({ preventScroll: true });
  returnFocus = null;
}

// ---- theme and global keys ----------------------------------------------------
var header = document.querySelector('header.top');
if (header) {
  var themes = ['auto', 'light', 'dark'];
  var theme = 'auto';
  try { theme = localStorage.getItem('netsleuth-theme') || 'auto'; } catch (error) { theme = 'auto'; }
  if (themes.indexOf(theme) < 0) theme = 'auto';
  var toggle = el('button', 'theme-toggle');
  toggle.type = 'button';
  var applyTheme = function () {
    if (theme === 'auto') root.removeAttribute('data-theme'); else root.setAttribute('data-theme', theme);
    toggle.textContent = 'Theme: ' + theme;
  };
  toggle.addEventListener('click', function () {
    theme = themes[(themes.indexOf(theme) + 1) % themes.length];
    try { localStorage.setItem('netsleuth-theme', theme); } catch (error) { /* file: pages may have no storage */ }
    applyTheme();
  });
  applyTheme();
  header.insertBefore(toggle, header.firstChild);
}
document.addEventListener('keydown', function (event) {
  var target = event.target;
  var typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA');
  if (event.key === 'Escape') {
    if (panel && !panel.hidden) { event.preventDefault(); closeHost(); return; }
    if (typing && target.value) { target.value = ''; target.dispatchEvent(new Event('input')); }
    return;
  }
  if (event.key === '/' && !typing && grids.remotes) { event.preventDefault(); grids.remotes.input.focus(); }
});
root.setAttribute('data-ready', String(Math.round(performance.now())));
if (grids.remotes) grids.remotes.buildHaystackLater();
})();
`;
