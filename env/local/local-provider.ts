import { z } from "zod";
import { largest, providerKind } from "../provider-kind.js";
import { LocalEnvironment } from "./local-environment.js";
import { referenceTarget } from "../shared/reference-target.js";
import { harnessScrapeJob } from "../shared/harness-scrape-job.js";

const count = z
  .number({ error: "expected a positive whole number like 40" })
  .int({ error: "expected a whole number" })
  .positive({ error: "expected a positive number" });

export const LocalOptions = z.strictObject({
  /** PostgreSQL's max_connections: how many slots a pool-exhaustion fault has to hold. */
  maxConnections: count.optional(),
  /** Put Toxiproxy between the API and PostgreSQL even without a network fault. */
  dbProxy: z.boolean({ error: "expected true or false" }).optional(),
});

export const localProvider = providerKind({
  name: "local",
  summary: "the whole stack as processes on 127.0.0.1, no Docker needed",
  options: LocalOptions,
  // A database, and the proxy in front of it, only for a target started here that asks for one.
  capabilities: (_options, target = referenceTarget()) =>
    target.local && target.postgres ? ["processes", "postgres", "toxiproxy", "rules"] : ["processes", "rules"],
  runsTargetFrom: ["local", "url"],
  async start(request) {
    const env = new LocalEnvironment().withPersistence(request.keep);
    const maxConnections = largest(request.options, (o) => o.maxConnections);
    if (maxConnections) env.withPostgresMaxConnections(maxConnections);
    // Network faults sit between the API and its database, which needs the proxy in that path.
    if (request.needs.has("toxiproxy") || request.options.some((o) => o.dbProxy)) env.withDbProxy();
    env.withLog(request.log);
    if (request.target) env.withTarget(request.target);
    if (request.harnessMetrics) env.withExtraScrapeConfigs([harnessScrapeJob(request.harnessMetrics.address)]);
    return env.start();
  },
});
