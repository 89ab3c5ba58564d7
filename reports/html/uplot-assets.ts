import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface ChartLibrary {
  script: string;
  css: string;
}

let cached: ChartLibrary | undefined;

/** uPlot (MIT, ~50 kB) read from node_modules at render time, so reports open with no network. */
export function chartLibrary(): ChartLibrary {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const read = (file: string) => {
    try {
      return readFileSync(require.resolve(`uplot/dist/${file}`), "utf8");
    } catch (err) {
      throw new Error(`uplot/dist/${file}: cannot read the chart library (${(err as Error).message}); run npm install in the slo-harness folder`);
    }
  };
  // A literal "</script" inside the library would end our script element early.
  const script = read("uPlot.iife.min.js").replace(/<\/script/gi, "<\\/script");
  cached = { script, css: read("uPlot.min.css") };
  return cached;
}
