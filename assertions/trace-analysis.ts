import type { JaegerSpan, JaegerTrace } from "./clients/index.js";
import { humanMs } from "./utils/times.js";

export interface TimeAttribution {
  /** The span whose own time (its duration minus its children's) is the largest. */
  span: JaegerSpan;
  selfUs: number;
  /** From the first span's start to the last span's end, in microseconds. */
  traceUs: number;
  /** The same in words: `SELECT orders (postgresql) took 3.8 s of 4.2 s`. */
  summary: string;
}

export function tagValue(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}

export function isErrorSpan(span: JaegerSpan): boolean {
  const error = tagValue(span, "error");
  return error === true || error === "true" || tagValue(span, "otel.status_code") === "ERROR";
}

/** Time covered by intervals [start, end), merged so overlapping children are not counted twice. */
function coveredUs(intervals: [number, number][]): number {
  let total = 0;
  let current: [number, number] | undefined;
  for (const [s, e] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (!current || s > current[1]) {
      if (current) total += current[1] - current[0];
      current = [s, e];
    } else current[1] = Math.max(current[1], e);
  }
  return total + (current ? current[1] - current[0] : 0);
}

/**
 * Which span took the time: self time is what a span spent outside its children, so a slow
 * database query is credited to the query span, not to every ancestor that waited for it.
 */
export function attributeTime(trace: JaegerTrace): TimeAttribution | undefined {
  if (trace.spans.length === 0) return undefined;
  const children = new Map<string, JaegerSpan[]>();
  for (const span of trace.spans) {
    const parent = span.references.find((r) => r.refType === "CHILD_OF")?.spanID;
    if (parent) children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  let best: { span: JaegerSpan; selfUs: number } | undefined;
  for (const span of trace.spans) {
    const end = span.startTime + span.duration;
    const clipped = (children.get(span.spanID) ?? [])
      .map((c): [number, number] => [Math.max(c.startTime, span.startTime), Math.min(c.startTime + c.duration, end)])
      .filter(([s, e]) => e > s);
    const selfUs = span.duration - coveredUs(clipped);
    if (!best || selfUs > best.selfUs) best = { span, selfUs };
  }
  const start = Math.min(...trace.spans.map((s) => s.startTime));
  const traceUs = Math.max(...trace.spans.map((s) => s.startTime + s.duration)) - start;
  const { span, selfUs } = best!;
  const service = trace.processes[span.processID]?.serviceName;
  const db = tagValue(span, "db.system");
  const what = `${span.operationName}${db ? ` (${String(db)})` : ""}${service ? ` in ${service}` : ""}`;
  const share = traceUs > 0 ? ` (${Math.round((selfUs / traceUs) * 100)} %)` : "";
  return { span, selfUs, traceUs, summary: `${what} took ${humanMs(selfUs / 1000)} of ${humanMs(traceUs / 1000)}${share}` };
}
