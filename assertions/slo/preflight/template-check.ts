import { fail, pass, type CheckResult } from "./check-result.js";
import type { RuleFile } from "../utils/rule-file.js";

/** Functions a Prometheus 2.x alert template may call: Go's builtins and Prometheus' own. */
const TEMPLATE_FUNCTIONS = new Set([
  "and",
  "call",
  "html",
  "index",
  "slice",
  "js",
  "len",
  "not",
  "or",
  "print",
  "printf",
  "println",
  "urlquery",
  "eq",
  "ge",
  "gt",
  "le",
  "lt",
  "ne",
  "query",
  "first",
  "label",
  "value",
  "strvalue",
  "args",
  "reReplaceAll",
  "safeHtml",
  "match",
  "title",
  "toUpper",
  "toLower",
  "graphLink",
  "tableLink",
  "sortByLabel",
  "humanize",
  "humanize1024",
  "humanizeDuration",
  "humanizePercentage",
  "humanizeTimestamp",
  "toTime",
  "pathPrefix",
  "externalURL",
  "parseDuration",
  "stripPort",
  "stripDomain",
]);
const KEYWORDS = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "nil", "true", "false"]);

/** Names called as functions inside the template's {{ }} actions (strings removed first). */
export function templateFunctions(template: string): string[] {
  const names: string[] = [];
  for (const action of template.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const code = action[1]!.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, " ");
    for (const token of code.split(/[\s|()]+/)) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(token) && !KEYWORDS.has(token)) names.push(token);
    }
  }
  return names;
}

/**
 * promtool stops at the first unknown function; this names all of them with the fix, so
 * `{{ $value | mul 100 }}` and `{{ div $value 0.01 }}` are reported together.
 */
export function checkTemplates(file: string, rules: RuleFile): CheckResult {
  const problems: string[] = [];
  rules.groups.forEach((g, gi) =>
    g.rules.forEach((r, ri) => {
      for (const [kind, map] of [
        ["annotations", r.annotations],
        ["labels", r.labels],
      ] as const) {
        for (const [key, text] of Object.entries(map ?? {})) {
          const unknown = [...new Set(templateFunctions(text).filter((f) => !TEMPLATE_FUNCTIONS.has(f)))];
          if (unknown.length) {
            problems.push(
              `${file}: groups[${gi}].rules[${ri}] (${r.alert ?? r.record}).${kind}.${key}: Prometheus templates have no ${unknown.map((u) => `"${u}"`).join(" or ")}; ` +
                `do the arithmetic in PromQL instead, e.g. {{ $value | humanizePercentage }} or {{ query "<expr> * 100" | first | value }}`,
            );
          }
        }
      }
    }),
  );
  return problems.length ? fail(`templates ${file}`, problems.join("\n")) : pass(`templates ${file}`, "every template function exists in Prometheus");
}
