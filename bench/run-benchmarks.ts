import { benchStackBringup } from "./stack-bringup.bench.js";
import { benchLoadOverhead } from "./load-overhead.bench.js";
import { benchReportRender } from "./report-render.bench.js";
import { benchInputRefusal } from "./input-refusal.bench.js";
import { benchTargetStream } from "./target-stream.bench.js";
import { benchCliStartup } from "./cli-startup.bench.js";
import { benchRunnerMerge } from "./runner-merge.bench.js";

/** `npm run bench [name...]`: prints figures; targets are stated beside them, never asserted. */
const BENCHES: Record<string, () => Promise<void>> = {
  stack: () => benchStackBringup(),
  load: () => benchLoadOverhead(),
  report: () => benchReportRender(),
  input: () => benchInputRefusal(),
  targets: () => benchTargetStream(),
  startup: () => benchCliStartup(),
  merge: () => benchRunnerMerge(),
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  await run();
}
