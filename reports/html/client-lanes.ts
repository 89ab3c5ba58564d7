/* istanbul ignore file -- this function runs in the browser via toString(); coverage counters would break it there. */
import type uPlot from "uplot";
import type { ChartPayload } from "./chart-data.js";

export interface LaneHelpers {
  baseOptions(el: HTMLElement, height: number): uPlot.Options;
  shadeFaults(u: uPlot): void;
  markFirstSeen(u: uPlot): void;
  verdictColours: Record<string, string>;
  axisWidth: number;
}

/**
 * One row for faults, one per alert, one for first-seen marks, on the same time axis as the other
 * charts. Serialised with `toString()` like drawReportCharts, which passes in what it shares.
 */
export function drawLanes(U: typeof uPlot, payload: ChartPayload, el: HTMLElement, helpers: LaneHelpers): uPlot {
  const { baseOptions, shadeFaults, markFirstSeen, verdictColours: VERDICT_COLOURS, axisWidth: AXIS_WIDTH } = helpers;
  const px = U.pxRatio;
  const t0 = payload.t0;
  const alertNames = [...new Set(payload.alerts.map((a) => a.label))];
  // Row captions sit in the axis gutter, so they are short; bars carry the names.
  const rows = [{ label: "faults" }, ...alertNames.map((_, i) => ({ label: i === 0 ? "alerts" : "" })), { label: "first seen" }];
  const rowHeight = 34;
  const opts = baseOptions(el, rows.length * rowHeight + 40);
  opts.legend = { show: false };
  opts.cursor = { sync: { key: "run" }, y: false, points: { show: false } };
  opts.scales!.y = { range: [0, rows.length] };
  opts.axes![1] = { size: AXIS_WIDTH, values: () => [], grid: { show: false }, ticks: { show: false } };
  opts.series.push({ label: "", points: { show: false } });
  opts.hooks!.drawClear = [shadeFaults];
  opts.hooks!.draw = [
    (u) => {
      const { ctx, bbox } = u;
      const rh = bbox.height / rows.length;
      const bar = (start: number, end: number, row: number, fill: string, text: string, open: boolean) => {
        const x0 = u.valToPos(t0 + start, "x", true);
        const x1 = Math.max(u.valToPos(t0 + end, "x", true), x0 + 2 * px);
        const y = bbox.top + row * rh + rh * 0.2;
        ctx.fillStyle = fill;
        ctx.fillRect(x0, y, x1 - x0, rh * 0.6);
        ctx.fillStyle = "#ffffff";
        const label = open ? `${text} (still active at the end)` : text;
        if (ctx.measureText(label).width < x1 - x0 - 8 * px) ctx.fillText(label, x0 + 4 * px, y + rh * 0.3);
        else {
          ctx.fillStyle = "#0f172a";
          ctx.fillText(label, x1 + 4 * px, y + rh * 0.3);
        }
      };
      ctx.save();
      ctx.font = `${12 * px}px system-ui, sans-serif`;
      // uPlot leaves the axis labels' alignment on the context.
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      for (const f of payload.faults) bar(f.start, f.end, 0, "#dc2626", f.label, f.open);
      for (const a of payload.alerts) {
        const row = 1 + alertNames.indexOf(a.label);
        bar(a.start, a.end, row, "#ea580c", `${a.label} firing`, a.open);
        if (a.notified !== undefined) {
          // A triangle under the bar, pointing up at the moment the page went out, clear of its label.
          const x = u.valToPos(t0 + a.notified, "x", true);
          const base = bbox.top + (row + 1) * rh;
          ctx.fillStyle = "#7c2d12";
          ctx.beginPath();
          ctx.moveTo(x, base - rh * 0.2);
          ctx.lineTo(x - 5 * px, base + 2 * px);
          ctx.lineTo(x + 5 * px, base + 2 * px);
          ctx.closePath();
          ctx.fill();
        }
      }
      const markerRow = rows.length - 1;
      const radius = 8 * px;
      let nextFree = -Infinity;
      ctx.textAlign = "center";
      for (const m of [...payload.markers].sort((a, b) => a.at - b.at)) {
        const x = u.valToPos(t0 + m.at, "x", true);
        // Marks seconds apart would overprint: move the later one right, tied to its time by a leader.
        const cx = Math.max(x, nextFree);
        nextFree = cx + radius * 2 + 2 * px;
        const top = bbox.top + markerRow * rh;
        const cy = top + rh * 0.62;
        const colour = VERDICT_COLOURS[m.verdict] ?? "#475569";
        ctx.strokeStyle = ctx.fillStyle = colour;
        ctx.lineWidth = px;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + rh * 0.15);
        ctx.lineTo(cx, cy);
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(cx, cy, radius, 0, Math.PI * 2);
        ctx.fill();
        ctx.fillStyle = "#ffffff";
        ctx.fillText(String(m.n), cx, cy + px);
      }
      ctx.textAlign = "left";
      ctx.fillStyle = "#475569";
      for (let r = 0; r < rows.length; r++) ctx.fillText(rows[r]!.label, bbox.left - (AXIS_WIDTH - 4) * px, bbox.top + r * rh + rh / 2);
      ctx.restore();
      markFirstSeen(u);
    },
  ];
  return new U(
    opts,
    [
      [t0, t0 + Math.max(payload.t1, 1)],
      [null, null],
    ],
    el,
  );
}
