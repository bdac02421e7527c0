// The HTML report's stylesheet (inline; allowed by the page's CSP through its hash).
// Light and dark schemes follow the reader's system unless the page's theme button
// chose one; print shows the plain tables and hides the interactive parts.

/** Height of one row of an interactive table; the page's script virtualises by it. */
export const GRID_ROW_HEIGHT_PX = 28;

export const PAGE_STYLE = `
:root{--bg:#ffffff;--fg:#1d232a;--muted:#5b6570;--line:#d8dde3;--panel:#f4f6f8;--accent:#1b5fae;--accent-fg:#ffffff;
--row-hover:#eaf1fb;--row-active:#d4e4f8;--map-sea:#eef4fa;--map-land:#d9dde2;--map-border:#ffffff;--bubble:#c0392b;--bubble-line:#7b241c;
--sev-critical:#7b1111;--sev-high:#c0392b;--sev-medium:#b9770e;--sev-low:#2e7d32;--sev-info:#55606b;
--s0:#1b5fae;--s1:#c0392b;--s2:#2e7d32;--s3:#8e44ad;--s4:#b9770e;--bar:#b8c7d6;--bar-surge:#e6a39b;color-scheme:light}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#15191e;--fg:#e3e7ec;--muted:#9aa5b1;--line:#333b44;--panel:#1e242b;--accent:#6ea8ff;--accent-fg:#0b1320;
--row-hover:#232c37;--row-active:#2b3d55;--map-sea:#1a2430;--map-land:#3a434d;--map-border:#15191e;--bubble:#ff6b5a;--bubble-line:#ffb3a8;
--sev-critical:#ff8a8a;--sev-high:#ff7b6b;--sev-medium:#f0b35a;--sev-low:#7fd483;--sev-info:#aab4bf;
--s0:#6ea8ff;--s1:#ff7b6b;--s2:#7fd483;--s3:#c99cf0;--s4:#f0b35a;--bar:#3c4a5a;--bar-surge:#7a3b35;color-scheme:dark}}
:root[data-theme=dark]{--bg:#15191e;--fg:#e3e7ec;--muted:#9aa5b1;--line:#333b44;--panel:#1e242b;--accent:#6ea8ff;--accent-fg:#0b1320;
--row-hover:#232c37;--row-active:#2b3d55;--map-sea:#1a2430;--map-land:#3a434d;--map-border:#15191e;--bubble:#ff6b5a;--bubble-line:#ffb3a8;
--sev-critical:#ff8a8a;--sev-high:#ff7b6b;--sev-medium:#f0b35a;--sev-low:#7fd483;--sev-info:#aab4bf;
--s0:#6ea8ff;--s1:#ff7b6b;--s2:#7fd483;--s3:#c99cf0;--s4:#f0b35a;--bar:#3c4a5a;--bar-surge:#7a3b35;color-scheme:dark}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}
code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
.hash{word-break:break-all}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px;z-index:20}
header.top{padding:16px 24px 8px;border-bottom:1px solid var(--line);background:var(--panel)}
header.top h1{margin:0 0 4px;font-size:1.5em}
.meta{margin:0 0 8px;color:var(--muted)}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}
.theme-toggle{float:right;margin-left:12px}
main{padding:8px 24px 48px;max-width:1400px}
section{margin:24px 0}
h2{font-size:1.25em;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:1.05em;margin:12px 0 4px}
.verdict{font-size:1.08em;max-width:75em}
.sev{display:inline-block;min-width:5.5em;text-align:center;border-radius:3px;padding:0 6px;font-size:.82em;font-weight:600;text-transform:uppercase;color:var(--bg);background:var(--sev-info)}
.sev-critical{background:var(--sev-critical)}.sev-high{background:var(--sev-high)}.sev-medium{background:var(--sev-medium)}.sev-low{background:var(--sev-low)}
.indicator-summary{padding-left:1.2em}
.indicators{padding-left:1.4em}.indicator{margin:0 0 18px}.indicator:target{outline:2px solid var(--accent);outline-offset:4px}
button{font:inherit;color:var(--fg);background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:2px 10px;cursor:pointer}
button:hover{border-color:var(--accent)}
:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse}
.static-table{margin:6px 0 12px}
.static-table th,.static-table td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
.static-table.small{font-size:.9em}
th{font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
html.js .static-only{display:none}
html:not(.js) .js-only{display:none}
.map-figure{margin:0}
.map-figure svg{width:100%;height:auto;max-width:1100px;display:block}
.map-figure svg>rect{fill:var(--bg)}
.map-figure svg>path:first-of-type{fill:var(--map-sea);stroke:var(--line)}
.map-figure svg>path+path{fill:var(--map-land);stroke:var(--map-border)}
.map-figure svg g{fill:var(--bubble);stroke:var(--bubble-line)}
.map-figure svg text{fill:var(--muted)}
.map-figure circle{cursor:pointer}
.map-figure circle:hover,.map-figure circle:focus,.map-figure circle.selected{fill-opacity:.9;stroke-width:2;outline:none}
figcaption{color:var(--muted);font-size:.9em}
.map-tooltip{position:fixed;z-index:30;pointer-events:none;background:var(--panel);color:var(--fg);border:1px solid var(--line);border-radius:4px;padding:6px 10px;font-size:.9em;box-shadow:0 2px 8px rgba(0,0,0,.25);max-width:360px}
.map-tooltip strong{display:block}
.map-tooltip ul{margin:4px 0 0;padding-left:1.1em}
.timeline-figure{margin:0}
.timeline-chart{width:100%;max-width:1100px;height:auto;display:block}
.timeline-chart .axis,.timeline-chart .legend{fill:var(--muted);font-size:11px}
.timeline-chart .grid-line{stroke:var(--line);stroke-width:1}
.timeline-chart .bar{fill:var(--bar)}.timeline-chart .bar.surge{fill:var(--bar-surge)}
.timeline-chart .series{fill:none;stroke-width:2}
.timeline-chart .series-dot{stroke:none}
.timeline-chart .surge-mark{stroke:var(--sev-high);stroke-width:1.5;stroke-dasharray:5 4}
.timeline-chart .surge-label{fill:var(--sev-high);font-size:12px;font-weight:600}
.series-0{stroke:var(--s0);fill:var(--s0)}.series-1{stroke:var(--s1);fill:var(--s1)}.series-2{stroke:var(--s2);fill:var(--s2)}.series-3{stroke:var(--s3);fill:var(--s3)}.series-4{stroke:var(--s4);fill:var(--s4)}
polyline.series{fill:none}
.grid-tools{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px;margin:6px 0}
.grid-tools input[type=search]{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:3px 8px;min-width:18em}
.grid-count{color:var(--muted);font-size:.9em}
.chip{display:inline-flex;align-items:center;gap:4px;background:var(--row-active);border-radius:12px;padding:0 4px 0 10px;font-size:.9em}
.chip button{border:0;background:transparent;padding:0 6px;font-weight:700}
.grid-scroll{overflow:auto;border:1px solid var(--line);border-radius:4px;position:relative;contain:strict}
.grid-scroll:focus-visible{outline:2px solid var(--accent)}
.grid-table{table-layout:fixed;width:100%}
.grid-table th{position:sticky;top:0;z-index:1;background:var(--panel);border-bottom:1px solid var(--line);text-align:left;padding:0;height:${GRID_ROW_HEIGHT_PX + 2}px}
.grid-table th button{width:100%;height:100%;text-align:inherit;border:0;border-radius:0;background:transparent;font-weight:600;padding:0 8px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.grid-table th.num{text-align:right}
.grid-table th[aria-sort=ascending] button::after{content:" ▲"}
.grid-table th[aria-sort=descending] button::after{content:" ▼"}
.grid-table td{height:${GRID_ROW_HEIGHT_PX}px;padding:0 8px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;border-bottom:1px solid var(--line)}
.grid-table tbody tr{cursor:pointer}
.grid-table tbody tr:hover{background:var(--row-hover)}
.grid-table tbody tr[aria-selected=true]{background:var(--row-active)}
.grid-table tr.pad td{padding:0;border:0;height:0}
.grid-empty{padding:8px;color:var(--muted)}
.host-panel{position:fixed;top:0;right:0;bottom:0;width:min(640px,100vw);overflow:auto;z-index:25;background:var(--bg);border-left:1px solid var(--line);box-shadow:-4px 0 16px rgba(0,0,0,.2);padding:12px 20px 32px}
.host-panel h2{margin-top:4px;display:flex;justify-content:space-between;align-items:center;gap:12px;word-break:break-all}
.host-panel dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:8px 0}
.host-panel dt{color:var(--muted)}
.host-panel dd{margin:0;word-break:break-word}
.host-panel ul{margin:0;padding-left:1.1em}
.host-panel table{font-size:.9em;margin:4px 0 10px}
.host-panel th,.host-panel td{border-bottom:1px solid var(--line);padding:2px 6px;text-align:left}
.capture-rows{overflow-x:auto}.capture-rows table{font-size:.8em}.capture-rows td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:nowrap}
.muted{color:var(--muted)}
@media print{
html.js .static-only{display:block}
.grid-host,.host-panel,.map-tooltip,nav,.theme-toggle,.js-only,.skip{display:none!important}
body{font-size:11pt;background:#fff;color:#000}
header.top{background:none}
section{break-inside:auto}
.static-table tr{break-inside:avoid}
a{color:inherit;text-decoration:none}
}
`;
