import type { PrometheusClient } from "../clients/index.js";
import { offset, faultNote, type Hop, type PathContext } from "./diagnosis.js";
import { presenceOf } from "./series-presence.js";
import { similarNames } from "../../core/similar-names.js";

/**
 * Was scrape job `job` scraping during the window? Relabelled away (every discovered target
 * dropped), missing from the config, down throughout, or down for stretches (named with the
 * fault in place at the time, which is the fault working rather than monitoring going blind).
 */
export async function scrapeHop(prometheus: PrometheusClient, job: string, ctx: PathContext): Promise<Hop> {
  const hop = `scrape job ${job}`;
  const { active, dropped } = await prometheus.allTargets("any");
  const mine = active.filter((t) => t.job === job);
  if (mine.length === 0) {
    const relabelled = dropped.filter((labels) => labels.job === job);
    if (relabelled.length > 0) {
      const example = relabelled[0]!.__address__ ?? JSON.stringify(relabelled[0]);
      return {
        hop,
        status: "stopped",
        detail: `no active target: all ${relabelled.length} discovered target(s) (e.g. ${example}) are dropped by relabel_configs, so nothing is scraped`,
      };
    }
    const jobs = [...new Set(active.map((t) => t.job))];
    const near = similarNames(job, jobs);
    return {
      hop,
      status: "stopped",
      detail: `Prometheus scrapes no job "${job}" (jobs: ${jobs.join(", ") || "none"})${near.length ? `; did the config mean ${near.join(" or ")}?` : ""}`,
    };
  }
  const up = await presenceOf(prometheus, `up{job=${JSON.stringify(job)}} == 1`, ctx.from, ctx.to);
  const where = mine.map((t) => t.scrapeUrl).join(", ");
  if (up.presentSteps === 0) {
    const lastError = mine.map((t) => t.lastError).find(Boolean);
    return {
      hop,
      status: "stopped",
      detail: `${where} was down for the whole window${lastError ? `: ${lastError}` : ""}${faultNote(ctx.faults, ctx.from, ctx.to)}`,
    };
  }
  const down = up.gaps.filter((g) => g.to.getTime() - g.from.getTime() > up.stepS * 1000);
  const stretches = down.slice(0, 3).map((g) => `${offset(g.from, ctx.origin)}–${offset(g.to, ctx.origin)}${faultNote(ctx.faults, g.from, g.to)}`);
  return { hop, status: "reached", detail: `${where} up${stretches.length ? `, but down ${stretches.join("; ")}` : " throughout the window"}` };
}

/** Does the job's target expose `name`? If not, which of its names look like what was meant. */
export async function exposesHop(prometheus: PrometheusClient, job: string, name: string): Promise<Hop> {
  const hop = `metric ${name} exposed by ${job}`;
  const names = await prometheus.labelValues("__name__", `{job=${JSON.stringify(job)}}`);
  if (names.includes(name)) return { hop, status: "reached", detail: `${job} exposes ${name}` };
  const near = similarNames(name, names);
  return {
    hop,
    status: "stopped",
    detail: `${job} is scraped but exposes no ${name} (${names.length} names)${near.length ? `; similar: ${near.join(", ")}` : ""}`,
  };
}
