import { escapeHtml } from "../utils/escape.js";

/** Markup that is already safe; only `html` and `trusted` make one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/**
 * Template tag that escapes every interpolated value unless it is SafeHtml (or an array of them),
 * so forgetting to escape untrusted text is not possible: escaping is the default.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** For markup built here from constants, e.g. the inlined chart library. Never for report data. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === undefined || value === null || value === false) return "";
  return escapeHtml(value);
}
