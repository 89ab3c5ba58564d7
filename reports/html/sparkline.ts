import type { Verdict } from "../../core/report-schema.js";
import { html, type SafeHtml } from "./html-template.js";

export interface SparkPoint {
  /** Detection latency in seconds; absent when the signal was not seen (or not measured) in that run. */
  value?: number;
  /** Absent when the run did not have the expectation at all: no mark. */
  verdict?: Verdict;
  flagged?: boolean;
}

const WIDTH = 168;
const HEIGHT = 44;
const PAD = 6;
/** Where the slowest run sits: below the strip of unseen marks, so a flat line is never mistaken for them. */
const TOP = 18;

/**
 * Detection latency over runs as an inline SVG drawn here, so the index page needs no script under
 * its CSP. Runs are spaced evenly rather than by date: nightly runs with a gap read as a trend, not
 * as a cluster. The axis starts at zero so the height of a step is the size of the change; a run
 * whose signal was not seen is a hollow mark in a strip along the top, above the slowest run.
 */
export function sparkline(points: SparkPoint[], label: string): SafeHtml {
  const max = Math.max(0, ...points.map((p) => p.value ?? 0)) || 1;
  const x = (i: number) => (points.length === 1 ? WIDTH / 2 : PAD + (i * (WIDTH - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => HEIGHT - PAD - (v / max) * (HEIGHT - PAD - TOP);
  const at = (i: number, v: number) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  const lines: string[][] = [[]];
  points.forEach((p, i) => {
    if (p.value === undefined) lines.push([]);
    else lines.at(-1)!.push(at(i, p.value));
  });
  const marks = points.map((p, i) => {
    if (p.verdict === undefined) return "";
    const cx = x(i).toFixed(1);
    const cy = (p.value === undefined ? PAD : y(p.value)).toFixed(1);
    const mark = html`<circle class="${p.value === undefined ? "unseen " : ""}${p.verdict}" cx="${cx}" cy="${cy}" r="2.5"/>`;
    return p.flagged ? html`${mark}<circle class="flag" cx="${cx}" cy="${cy}" r="5.5"/>` : mark;
  });
  return html`<svg class="spark" role="img" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>${label}</title>${lines
    .filter((l) => l.length > 1)
    .map((l) => html`<polyline class="line" points="${l.join(" ")}"/>`)}${marks}</svg>`;
}
