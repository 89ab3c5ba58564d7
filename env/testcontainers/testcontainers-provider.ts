import { z } from "zod";
import { BadInputError } from "../../core/errors.js";
import { buildLocalImages } from "../images/index.js";
import { LocalOptions } from "../local/local-provider.js";
import { largest, providerKind } from "../provider-kind.js";
import { referenceTarget } from "../shared/reference-target.js";

export const TestcontainersOptions = LocalOptions.extend({
  /** local: built here by `slo-harness images build` (no registry needed); upstream: pulled from Docker Hub. */
  images: z
    .enum(["local", "upstream"], {
      error: 'expected "local" (built here by `slo-harness images build`, no registry needed) or "upstream" (pulled from Docker Hub)',
    })
    .optional(),
});

export const testcontainersProvider = providerKind({
  name: "testcontainers",
  summary: "the same stack as containers on a Docker network of its own, ports on 127.0.0.1",
  options: TestcontainersOptions,
  // A database, and the proxy in front of it, only for a target that asks for one.
  capabilities: (_options, target = referenceTarget()) => (target.postgres ? ["containers", "postgres", "toxiproxy", "rules"] : ["containers", "rules"]),
  runsTargetFrom: ["container"],
  async start(request) {
    const images = request.images ?? request.options[0]?.images ?? "upstream";
    if (images !== "local" && images !== "upstream") throw new BadInputError(`--images: expected "local" or "upstream", got ${JSON.stringify(images)}`);
    // Loaded here, not at the top: Testcontainers costs every command ~0.3 s at startup.
    const [{ TestcontainersEnvironment }, { removeOrphanedStacks }] = await Promise.all([
      import("./testcontainers-environment.js"),
      import("./orphaned-stacks.js"),
    ]);
    const env = new TestcontainersEnvironment();
    env.withLog(request.log).withPersistence(request.keep);
    if (request.harnessMetrics) env.withHarnessMetrics(request.harnessMetrics);
    if (request.target) env.withTarget(request.target);
    if (request.needs.has("toxiproxy") || request.options.some((o) => o.dbProxy)) env.withDbProxy();
    if (images === "local") {
      // Where images are built locally nothing can be pulled, Testcontainers' Ryuk reaper included;
      // the provider removes its own containers and network at the end.
      process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
      process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";
      env.withImages(await buildLocalImages({ log: (line) => request.log(`images: ${line}`) }));
    }
    const maxConnections = largest(request.options, (o) => o.maxConnections);
    if (maxConnections) env.withPostgresMaxConnections(maxConnections);
    // After the run command's journal recovery, which rolled back any fault such a stack held.
    for (const runDir of await removeOrphanedStacks()) request.log(`removed the stack a killed run left behind: ${runDir}`);
    return env.start();
  },
});
