import path from "node:path";
import { Wait, type GenericContainer, type StartedTestContainer } from "testcontainers";
import type { TargetModel } from "../../core/target-spec.js";
import { otelEnvironment, runTargetCommands, runTargetSteps } from "../shared/target-build.js";
import { dockerBuild } from "../images/utils/docker-cli.js";
import { base, CONTAINER_PORTS, containerName, publish, type StackPlan } from "./stack-containers.js";

/**
 * The image the target runs: its own reference, or built from its Dockerfile after its build
 * commands (which make what the Dockerfile copies). Docker's layer cache makes a rebuild of
 * unchanged inputs cheap, so it is built on every start rather than keyed by a hash of ours.
 */
export async function targetImage(target: TargetModel, log: (line: string) => void): Promise<string> {
  const container = target.container;
  if (!container)
    throw new Error(
      `${target.source}: container: the testcontainers provider runs the target from its container: block (an image or a Dockerfile, and its port); add one`,
    );
  if (container.image) return container.image;
  await runTargetCommands(target, "build", target.build, target.dir, {}, log);
  const ref = `slo-harness-target/${target.name}:latest`;
  const dockerfile = path.resolve(target.dir, container.dockerfile!);
  const startedAt = Date.now();
  await dockerBuild(ref, target.dir, {}, {}, dockerfile).catch((err: Error) => {
    throw new Error(`${target.source}: container.dockerfile: ${err.message}`, { cause: err });
  });
  log(`${target.name}: built image ${ref} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  return ref;
}

/** The target on the stack's network, its port published on 127.0.0.1, pointed at the collector (and its database) by name. */
export function targetContainer(plan: StackPlan, target: TargetModel, image: string, database: Record<string, string>): GenericContainer {
  const port = target.container!.port;
  return base(plan, target.name, image)
    .withEnvironment({
      ...otelEnvironment(target, `http://${containerName(plan, "otel-collector")}:${CONTAINER_PORTS.collectorOtlpHttp}`),
      ...database,
      ...target.container!.env,
    })
    .withExposedPorts(...publish(plan, target.name, port))
    .withWaitStrategy(Wait.forHttp(target.health, port));
}

/**
 * The target's set-up commands (migrations, seed data), run in its started container in order:
 * `docker exec` gives them the container's environment, database variables included.
 */
export async function runContainerSetup(target: TargetModel, container: StartedTestContainer, log: (line: string) => void): Promise<void> {
  const run = async (argv: string[]) => {
    const result = await container.exec(argv);
    return { failed: result.exitCode !== 0, why: `exit ${result.exitCode}`, output: result.output };
  };
  await runTargetSteps(target, "container.setup", target.container?.setup ?? [], "in its container", run, log);
}
