/** The report's stylesheet: system fonts only, so nothing is fetched when the file opens. */
export const REPORT_CSS = `
:root { --ink: #0f172a; --muted: #475569; --line: #e2e8f0; --bg: #f1f5f9; --card: #ffffff;
  --pass: #15803d; --pass-bg: #dcfce7; --fail: #b91c1c; --fail-bg: #fee2e2; --inc: #b45309; --inc-bg: #fef3c7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 0 24px 48px; }
h1 { font-size: 22px; margin: 4px 0 6px; line-height: 1.3; }
h2 { font-size: 18px; margin: 0 0 4px; }
h3 { font-size: 14px; margin: 18px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
a { color: #1d4ed8; }
code, pre { overflow-wrap: anywhere;  font: 12px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
pre { margin: 2px 0 6px; padding: 6px 8px; background: #f8fafc; border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.banner { color: #fff; padding: 28px 0 24px; }
.banner .wrap { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
.banner.pass { background: linear-gradient(120deg, #166534, #15803d); }
.banner.fail { background: linear-gradient(120deg, #7f1d1d, #b91c1c); }
.banner.inconclusive { background: linear-gradient(120deg, #78350f, #b45309); }
.banner.index { background: linear-gradient(120deg, #0f172a, #334155); }
.banner .kicker { opacity: .85; font-size: 13px; }
.banner .verdict { font-size: 34px; font-weight: 800; letter-spacing: .06em; }
.banner .meta { opacity: .9; font-size: 13px; }
.banner .meaning { margin: 4px 0 10px; max-width: 820px; font-size: 15px; }
.findings { margin: 0; padding-left: 0; list-style: none; }
.findings li { margin: 6px 0; line-height: 1.5; }
.evidence .live-only { font-size: 12px; opacity: .75; }
.banner .partial { display: inline-block; margin-top: 8px; padding: 3px 10px; border-radius: 999px; background: rgba(255,255,255,.2); font-weight: 600; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-top: 18px; }
.summary { font-size: 15px; line-height: 1.65; }
.summary p { margin: 0; } .summary p + p { margin-top: 8px; }
.hint { color: var(--muted); margin: 2px 0 10px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-top: 18px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile .value { font-size: 24px; font-weight: 700; }
.tile .sub { color: var(--muted); font-size: 12px; }
.tile.bad .value { color: var(--fail); } .tile.good .value { color: var(--pass); } .tile.warn .value { color: var(--inc); }
table.data { width: 100%; border-collapse: collapse; margin-top: 6px; }
table.data th, table.data td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
table.kv th { width: 240px; background: none; font-size: 13px; }
table.expectations td:nth-child(1) { width: 34px; } table.expectations td:nth-child(2) { width: 22%; } table.expectations td:nth-child(7) { width: 44%; }
td .hint { font-size: 12px; margin: 0; }
table.data th { font-size: 12px; color: var(--muted); font-weight: 600; background: #f8fafc; }
table.data .num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-size: 12px; font-weight: 700; white-space: nowrap; }
.badge.pass { background: var(--pass-bg); color: var(--pass); } .badge.fail { background: var(--fail-bg); color: var(--fail); }
.badge.inconclusive { background: var(--inc-bg); color: var(--inc); }
.n { display: inline-block; min-width: 22px; height: 22px; border-radius: 11px; color: #fff; text-align: center; font-weight: 700; font-size: 12px; line-height: 22px; }
.n.pass { background: var(--pass); } .n.fail { background: var(--fail); } .n.inconclusive { background: var(--inc); } .n.none { background: #94a3b8; }
.evidence { margin-bottom: 8px; } .evidence .k { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
.reason { color: var(--fail); margin-bottom: 6px; } .reason.inconclusive { color: var(--inc); }
.hops { margin: 0 0 8px; padding-left: 18px; font-size: 12px; } .hops li.reached::marker { content: "✓ "; color: var(--pass); } .hops li.stopped::marker { content: "✗ "; color: var(--fail); } .hops li.unknown::marker { content: "? "; color: var(--muted); } .hops .hop { font-weight: 600; }
.chart { min-height: 60px; width: 100%; }
.chart-block { margin-top: 8px; }
.legend-key { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); font-size: 12px; margin: 6px 0 0; padding: 0; list-style: none; }
.swatch { display: inline-block; width: 22px; height: 0; border-top: 2px solid; vertical-align: middle; margin-right: 6px; }
.swatch.dashed { border-top-style: dashed; } .swatch.band { height: 10px; border: none; background: rgba(220,38,38,.18); }
.bar { height: 8px; background: var(--line); border-radius: 4px; overflow: hidden; min-width: 80px; }
.bar > span { display: block; height: 100%; background: var(--fail); }
.empty { color: var(--muted); font-style: italic; }
details > summary { cursor: pointer; font-weight: 600; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
.u-legend { font-size: 12px; }
@media print { .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`;

/** What only the index page adds: the trend tables, their sparklines and the regression marks. */
export const INDEX_CSS = `
.trend-wrap { overflow-x: auto; }
table.trends th, table.trends td { padding: 6px 8px; vertical-align: middle; }
table.trends thead th { text-align: right; white-space: nowrap; } table.trends thead th:nth-child(-n+2) { text-align: left; }
tr.regressed > td, tr.regressed > th { background: var(--fail-bg); }
td.flag { outline: 2px solid var(--fail); outline-offset: -3px; font-weight: 700; }
.spark { display: block; }
.spark .line { fill: none; stroke: #64748b; stroke-width: 1.5; }
.spark .pass { fill: var(--pass); } .spark .fail { fill: var(--fail); } .spark .inconclusive { fill: var(--inc); }
.spark .unseen { fill: #fff; stroke-width: 1.5; } .spark .unseen.fail { stroke: var(--fail); } .spark .unseen.inconclusive { stroke: var(--inc); } .spark .unseen.pass { stroke: var(--pass); }
.spark .flag { fill: none; stroke: var(--fail); stroke-width: 2; }
ul.regressions { margin: 6px 0 0; padding-left: 0; list-style: none; } ul.regressions li { margin: 6px 0; }
`;
