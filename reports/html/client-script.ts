/* istanbul ignore file -- this function runs in the browser via toString(); coverage counters would break it there. */
import type uPlot from "uplot";
import type { ChartPayload, ChartPanel } from "./chart-data.js";
import type { drawLanes as DrawLanes } from "./client-lanes.js";

/**
 * Draws the report's charts in the browser. It is serialised with `toString()` into the page, so it
 * must not reference anything outside its own body except its arguments and the DOM.
 */
export function drawReportCharts(U: typeof uPlot, payload: ChartPayload, drawLanes: typeof DrawLanes): void {
  const CLIENT_COLOURS = ["#1d4ed8", "#7c3aed", "#0e7490", "#4338ca"];
  const SERVER_COLOURS = ["#c2410c", "#be185d", "#a16207", "#15803d"];
  const VERDICT_COLOURS: Record<string, string> = { pass: "#15803d", fail: "#b91c1c", inconclusive: "#b45309" };
  const AXIS_WIDTH = 72;
  const px = U.pxRatio;
  const t0 = payload.t0;
  const charts: uPlot[] = [];
  let syncing = false;

  const two = (n: number) => String(n).padStart(2, "0");
  const clock = (ts: number, withSeconds: boolean) => {
    const d = new Date(ts * 1000);
    return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${withSeconds ? `:${two(d.getUTCSeconds())}` : ""}`;
  };
  const offset = (ts: number) => {
    const total = Math.round(Math.abs(ts - t0));
    const [h, m, sec] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
    return `T${ts < t0 ? "−" : "+"}${h ? `${h}:${two(m)}` : m}:${two(sec)}`;
  };
  const timeTicks = (u: uPlot, splits: number[]) => {
    const span = (u.scales.x!.max ?? 0) - (u.scales.x!.min ?? 0);
    return splits.map((v) => {
      const d = new Date(v * 1000);
      return span > 2 * 86_400 ? `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${clock(v, false)}` : clock(v, span < 600);
    });
  };
  const fmt = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : String(Number(v.toPrecision(3))));

  function shadeFaults(u: uPlot): void {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.fillStyle = "rgba(220, 38, 38, 0.10)";
    for (const f of payload.faults) {
      const x0 = u.valToPos(t0 + f.start, "x", true);
      const x1 = u.valToPos(t0 + f.end, "x", true);
      ctx.fillRect(x0, bbox.top, Math.max(x1 - x0, px), bbox.height);
    }
    ctx.restore();
  }

  function markFirstSeen(u: uPlot): void {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.setLineDash([3 * px, 3 * px]);
    ctx.lineWidth = px;
    for (const m of payload.markers) {
      const x = Math.round(u.valToPos(t0 + m.at, "x", true));
      ctx.strokeStyle = VERDICT_COLOURS[m.verdict] ?? "#475569";
      ctx.globalAlpha = 0.55;
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  }

  function drawThresholds(u: uPlot, thresholds: ChartPanel["thresholds"]): void {
    const { ctx, bbox } = u;
    const min = u.scales.y?.min ?? 0;
    const max = u.scales.y?.max ?? 0;
    ctx.save();
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.textAlign = "right";
    ctx.textBaseline = "bottom";
    ctx.setLineDash([6 * px, 4 * px]);
    ctx.strokeStyle = ctx.fillStyle = "#64748b";
    ctx.lineWidth = px;
    for (const t of thresholds) {
      if (t.value < min || t.value > max) continue;
      const y = Math.round(u.valToPos(t.value, "y", true));
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
      ctx.fillText(t.label, bbox.left + bbox.width - 6 * px, y - 3 * px);
    }
    ctx.restore();
  }

  function syncZoom(u: uPlot, key: string): void {
    if (key !== "x" || syncing) return;
    syncing = true;
    const { min, max } = u.scales.x!;
    for (const other of charts) if (other !== u && min !== undefined && max !== undefined) other.setScale("x", { min, max });
    syncing = false;
  }

  function baseOptions(el: HTMLElement, height: number): uPlot.Options {
    return {
      width: el.clientWidth,
      height,
      // Tables say UTC, so the charts do too, whatever the reader's time zone.
      tzDate: (ts) => U.tzDate(new Date(ts * 1000), "Etc/UTC"),
      cursor: { sync: { key: "run" } },
      scales: { x: { time: true, range: () => [t0, t0 + Math.max(payload.t1, 1)] } },
      axes: [
        { stroke: "#475569", grid: { stroke: "#e2e8f0" }, values: timeTicks },
        { size: AXIS_WIDTH, stroke: "#475569", grid: { stroke: "#e2e8f0" } },
      ],
      // Off the chart the legend is a static key (the series' peak), not a row of dashes.
      series: [{ label: "UTC", value: (_u, v) => (v === null || v === undefined ? "peak over the run" : `${clock(v, true)} (${offset(v)})`) }],
      hooks: { setScale: [syncZoom] },
    };
  }

  function drawPanel(panel: ChartPanel): void {
    const el = document.getElementById(`chart-${panel.id}`);
    if (!el) return;
    let client = 0;
    let server = 0;
    const opts = baseOptions(el, 220);
    // Rates, latencies and ratios read wrongly on an axis that does not start at zero.
    if (panel.id !== "other") opts.scales!.y = { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] };
    opts.axes![1]!.values = (_u, splits) => splits.map((v) => `${fmt(v)}${panel.unit === "%" ? " %" : panel.unit === "×" ? "×" : ""}`);
    for (const s of panel.series) {
      const colour = s.source === "client" ? CLIENT_COLOURS[client++ % 4] : SERVER_COLOURS[server++ % 4];
      opts.series.push({
        label: s.label,
        stroke: colour,
        width: 1.5,
        ...(s.source === "server" ? { dash: [8, 4] } : {}),
        points: { show: false },
        value: (u, v, sIdx, idx) => {
          if (idx === null || idx === undefined) {
            const peak = Math.max(...(u.data[sIdx] ?? []).filter((y): y is number => typeof y === "number"));
            return Number.isFinite(peak) ? `${fmt(peak)} ${panel.unit}` : "no data";
          }
          return v === null || v === undefined ? "—" : `${fmt(v)} ${panel.unit}`;
        },
      });
    }
    opts.hooks!.drawClear = [shadeFaults];
    opts.hooks!.draw = [markFirstSeen, (u) => drawThresholds(u, panel.thresholds)];
    const tables = panel.series.map((s) => [s.x.map((x) => t0 + x), s.y] as uPlot.AlignedData);
    const data = tables.length === 1 ? tables[0]! : U.join(tables);
    charts.push(new U(opts, data, el));
  }

  const lanesEl = document.getElementById("chart-lanes");
  if (lanesEl) charts.push(drawLanes(U, payload, lanesEl, { baseOptions, shadeFaults, markFirstSeen, verdictColours: VERDICT_COLOURS, axisWidth: AXIS_WIDTH }));
  for (const panel of payload.panels) drawPanel(panel);
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const c of charts) c.setSize({ width: c.root.parentElement!.clientWidth, height: c.height });
    });
  });
}
