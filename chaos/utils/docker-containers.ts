import type { ContainerRuntimeClient } from "testcontainers";
import { pollUntil } from "./poll.js";

/** Testcontainers' Docker client, imported on use: the library costs every command ~0.3 s at startup. */
async function runtime(): Promise<ContainerRuntimeClient> {
  return (await import("testcontainers")).getContainerRuntimeClient();
}

export interface ContainerState {
  running: boolean;
  paused: boolean;
  status: string;
  networks: string[];
}

export async function containerState(id: string): Promise<ContainerState | undefined> {
  const client = await runtime();
  try {
    const inspect = await client.container.getById(id).inspect();
    const state = inspect.State;
    return { running: state.Running, paused: state.Paused, status: state.Status, networks: Object.keys(inspect.NetworkSettings.Networks ?? {}) };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

export async function pauseContainer(id: string): Promise<void> {
  await (await runtime()).container.getById(id).pause();
}

export async function killContainer(id: string): Promise<void> {
  await (await runtime()).container.getById(id).kill({ signal: "SIGKILL" });
}

/** Unpauses a paused container; idempotent. Shared by rollback and journal recovery. */
export async function unpauseContainer(id: string): Promise<string> {
  const state = await containerState(id);
  if (!state) return `container ${id.slice(0, 12)} is gone, nothing to unpause`;
  if (!state.paused) return `container ${id.slice(0, 12)} is not paused (${state.status})`;
  await (await runtime()).container.getById(id).unpause();
  await pollUntil(`container ${id.slice(0, 12)} to run unpaused`, async () => ((await containerState(id))?.paused === false ? true : undefined), 5000, 50);
  return `unpaused container ${id.slice(0, 12)}; docker reports it running`;
}

/** Starts a stopped container again, like a pod's restart; idempotent. */
export async function startContainer(id: string): Promise<string> {
  const state = await containerState(id);
  if (!state) return `container ${id.slice(0, 12)} is gone, nothing to start`;
  if (state.running) return `container ${id.slice(0, 12)} is running, nothing to start`;
  await (await runtime()).container.getById(id).start();
  await pollUntil(`container ${id.slice(0, 12)} to run`, async () => ((await containerState(id))?.running ? true : undefined), 10_000, 100);
  return `started container ${id.slice(0, 12)} again`;
}

export async function disconnectContainer(id: string, network: string): Promise<void> {
  await (await runtime()).network.getById(network).disconnect({ Container: id });
}

/** Puts a container back on the network it was cut from; its name resolves and its ports are published again. Idempotent. */
export async function reconnectContainer(id: string, network: string): Promise<string> {
  const state = await containerState(id);
  if (!state) return `container ${id.slice(0, 12)} is gone, nothing to reconnect`;
  if (state.networks.includes(network)) return `container ${id.slice(0, 12)} is on ${network}, nothing to reconnect`;
  await (await runtime()).network.getById(network).connect({ Container: id });
  await pollUntil(
    `container ${id.slice(0, 12)} back on ${network}`,
    async () => ((await containerState(id))?.networks.includes(network) ? true : undefined),
    5000,
    50,
  );
  return `reconnected container ${id.slice(0, 12)} to ${network}`;
}
