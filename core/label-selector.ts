const NAME = "[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
const KEY = `(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?/)?${NAME}`;
const VALUE = `(?:${NAME})?`;
const TERM = new RegExp(`^\\s*(?:!?\\s*${KEY}|${KEY}\\s*(?:=|==|!=)\\s*${VALUE}|${KEY}\\s+(?:in|notin)\\s*\\(\\s*${VALUE}(?:\\s*,\\s*${VALUE})*\\s*\\))\\s*$`);

/**
 * A Kubernetes label selector as the API server parses it: comma-separated terms of `key`,
 * `!key`, `key=value`, `key!=value`, `key in (a,b)` or `key notin (a,b)`. Checked when the file
 * is loaded, so a typo is refused before a run rather than answered with an API error mid-way.
 */
export function isLabelSelector(selector: string): boolean {
  if (selector.length > 1000) return false;
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
    if (depth < 0 || depth > 1) return false;
  }
  terms.push(selector.slice(start));
  return depth === 0 && terms.every((t) => TERM.test(t));
}
