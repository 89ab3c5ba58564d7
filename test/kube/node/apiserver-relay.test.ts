import { networkInterfaces } from "node:os";
import { KubeConfig } from "@kubernetes/client-node";
import { startApiserverRelay } from "./apiserver-relay.js";
import { NODE } from "./node-layout.js";

const bridgeUp = Object.values(networkInterfaces())
  .flat()
  .some((a) => a?.address === NODE.gateway);

describe("the API server relay", () => {
  // Its success is the real-node suite's: Prometheus's service discovery goes through it.
  (bridgeUp ? it.skip : it)("should say where it could not listen when the node's bridge is not up, and write nothing", async () => {
    await expect(startApiserverRelay(new KubeConfig(), 6443)).rejects.toThrow(`the API server relay could not listen on ${NODE.gateway}: listen EADDRNOTAVAIL`);
  });
});
