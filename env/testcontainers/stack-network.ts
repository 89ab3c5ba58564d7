import { getContainerRuntimeClient } from "testcontainers";

export interface StackNetwork {
  name: string;
  /** The host's address on this network: where containers reach the harness's own servers. */
  gateway: string;
  remove(): Promise<void>;
}

/**
 * A bridge network of our own whose published ports bind 127.0.0.1 only, so nothing of the
 * stack is reachable from outside this machine. Testcontainers' Network cannot take driver
 * options, hence the runtime client.
 */
export async function createStackNetwork(name: string): Promise<StackNetwork> {
  const client = await getContainerRuntimeClient();
  const network = await client.network.create({
    Name: name,
    Driver: "bridge",
    CheckDuplicate: true,
    Options: { "com.docker.network.bridge.host_binding_ipv4": "127.0.0.1" },
    Labels: { "slo-harness": "stack" },
  });
  const inspect = await network.inspect();
  const gateway = inspect.IPAM?.Config?.[0]?.Gateway;
  if (!gateway) {
    await network.remove();
    throw new Error(`docker network ${name}: no gateway address in its IPAM config`);
  }
  return { name, gateway, remove: async () => void (await network.remove()) };
}
