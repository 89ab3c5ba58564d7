/**
 * Reads the samples promtool prints for a failed promql_expr_test, e.g.
 *   got: {alertname="X", severity="page"} 4.38E+03, {alertname="Y"} 1E+00
 * Values are Go's shortest exact form, so nothing is lost.
 */
export interface PrintedSample {
  labels: Record<string, string>;
  value: number;
}

function readQuoted(text: string, start: number): [string, number] {
  let out = "";
  let i = start + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === "\\") {
      const c = text[i + 1]!;
      out += ({ n: "\n", t: "\t", r: "\r" } as Record<string, string>)[c] ?? c;
      i += 2;
    } else out += text[i++];
  }
  return [out, i + 1];
}

function parseSampleList(text: string): PrintedSample[] {
  const samples: PrintedSample[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "{") {
      i++;
      continue;
    }
    const labels: Record<string, string> = {};
    i++;
    while (text[i] !== "}") {
      const eq = text.indexOf("=", i);
      const name = text.slice(i, eq).replace(/^[\s,]+/, "");
      const [value, next] = readQuoted(text, eq + 1);
      labels[name] = value;
      i = next;
      while (text[i] === "," || text[i] === " ") i++;
    }
    const valueMatch = /^\}\s+(\S+?)(,|$)/.exec(text.slice(i));
    samples.push({ labels, value: Number(valueMatch?.[1]) });
    i += valueMatch ? valueMatch[0].length : 1;
  }
  return samples;
}

export function parseGotSamples(output: string): PrintedSample[] {
  return output
    .split("\n")
    .map((line) => /^\s*got:\s*(.*)$/.exec(line)?.[1])
    .filter((rest): rest is string => rest !== undefined && rest !== "nil")
    .flatMap(parseSampleList);
}
