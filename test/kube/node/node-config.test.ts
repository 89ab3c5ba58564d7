import { cniConfig } from "./containerd-config.js";
import { criRef } from "./node-containerd.js";
import { NODE } from "./node-layout.js";

describe("the real node's configuration", () => {
  it("should name Docker's images as containerd's CRI knows them", () => {
    expect(criRef("slo-harness/target:abc")).toBe("docker.io/slo-harness/target:abc");
    expect(criRef("postgres:15")).toBe("docker.io/library/postgres:15");
    expect(criRef("registry.example:5000/x/y:1")).toBe("registry.example:5000/x/y:1");
  });

  it("should give pods routes to each other and to Service IPs only, with no masquerade", () => {
    const bridge = JSON.parse(cniConfig("10.96.0.0/16")).plugins[0];
    expect(bridge).toMatchObject({ type: "bridge", bridge: NODE.bridge, ipMasq: false, isGateway: true });
    expect(bridge.ipam.routes).toEqual([{ dst: "10.96.0.0/16" }]);
    expect(bridge.ipam.ranges).toEqual([[{ subnet: NODE.podSubnet }]]);
  });
});
