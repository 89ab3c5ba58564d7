import { LocalEnvironment } from "../env/local/index.js";
import { groupRssBytes } from "../env/shared/process-rss.js";
import { describe } from "./stats.js";

/**
 * Issue 2's figures: warm bring-up of the whole local stack (target 10 s on 2 cores), teardown
 * time, and the stack's resident memory once up and idle.
 */
export async function benchStackBringup(runs = 5): Promise<void> {
  const up: number[] = [];
  const down: number[] = [];
  const rss: number[] = [];
  const perComponent = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const env = await new LocalEnvironment().start();
    up.push(env.getStartMs() / 1000);
    // Idle a moment so lazily started workers and caches are counted.
    await new Promise((r) => setTimeout(r, 2000));
    let total = 0;
    for (const p of env.getState().processes) {
      const bytes = groupRssBytes(p.pid);
      total += bytes;
      perComponent.set(p.name, [...(perComponent.get(p.name) ?? []), bytes / 2 ** 20]);
    }
    rss.push(total / 2 ** 20);
    const stopStarted = Date.now();
    await env.stop();
    down.push((Date.now() - stopStarted) / 1000);
  }
  console.log("local stack (warm: binaries, venv and build cached)");
  console.log(`  bring-up  ${describe(up, "s")}   target <= 10 s`);
  console.log(`  teardown  ${describe(down, "s")}`);
  console.log(`  RSS       ${describe(rss, "MiB", 0)}`);
  for (const [name, values] of [...perComponent.entries()].sort()) console.log(`    ${name.padEnd(15)} ${describe(values, "MiB", 0)}`);
}
