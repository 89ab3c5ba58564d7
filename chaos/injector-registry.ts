import type { Injector } from "./injector.js";
import { ContainerKillInjector } from "./container-kill-injector.js";
import { DockerInjector } from "./docker-injector.js";
import { NetworkInjector } from "./network-injector.js";
import { PodEvictionInjector } from "./pod-eviction-injector.js";
import { PoolExhaustionInjector } from "./pool-exhaustion-injector.js";
import { ProcessInjector } from "./process-injector.js";

interface Entry {
  injector: Injector;
  summary: string;
}

const REGISTRY: Record<string, Entry> = {
  "pool-exhaustion": {
    injector: new PoolExhaustionInjector(),
    summary: "PostgreSQL has no connection left for the API (mode connections) or the analysis table is locked (mode lock)",
  },
  process: {
    injector: new ProcessInjector(),
    summary: "a local-stack component is killed and restarted like a pod (mode kill-restart) or paused (mode pause)",
  },
  docker: {
    injector: new DockerInjector(),
    summary:
      "a container of the testcontainers stack is paused (mode pause), killed and started again like a pod (mode kill-restart), or cut off its network (mode disconnect)",
  },
  network: {
    injector: new NetworkInjector(),
    summary: "latency, stalls, resets or limited bandwidth between the API and PostgreSQL, through Toxiproxy",
  },
  "pod-eviction": {
    injector: new PodEvictionInjector(),
    summary: "pods matching a label selector are evicted through the Eviction API, PodDisruptionBudgets honoured (kind and existing clusters)",
  },
  "container-kill": {
    injector: new ContainerKillInjector(),
    summary: "a container's main process is signalled through the exec API so kubelet restarts the container in place (kind and existing clusters)",
  },
};

/**
 * The injector an experiment's `injector:` names, or an error listing the known ones. Its
 * describe() takes a FaultPlan, so the runner can check every fault before the environment is up.
 */
export function getInjector(name: string, faultId?: string): Injector {
  const entry = REGISTRY[name];
  if (entry) return entry.injector;
  const where = faultId ? `faults[${faultId}].injector` : "injector";
  throw new Error(
    `${where}: unknown injector "${name}"; expected one of ${Object.keys(REGISTRY)
      .map((n) => `"${n}"`)
      .join(", ")}`,
  );
}

/** For the CLI's listing and the loader's suggestions. */
export function listInjectors(): { name: string; summary: string; requires: readonly string[] }[] {
  return Object.entries(REGISTRY).map(([name, entry]) => ({ name, summary: entry.summary, requires: entry.injector.requires }));
}
