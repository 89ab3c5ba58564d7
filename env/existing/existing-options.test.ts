import { guardContext } from "./context-guard.js";
import { DEFAULT_PROTECTED_CONTEXTS, defaultKubeconfig, parseExistingOptions } from "./existing-options.js";
import { ExistingEnvironment } from "./existing-environment.js";

const endpoints = { api: "http://127.0.0.1:8000", prometheus: "http://127.0.0.1:9090", alertmanager: "http://127.0.0.1:9093" };

describe("existing provider options", () => {
  it("should take the endpoints and default to no chaos namespace and the protected patterns", () => {
    const o = parseExistingOptions({ endpoints, context: "staging" });
    expect(o.chaosNamespaces).toEqual([]);
    expect(o.protectedContexts).toEqual(DEFAULT_PROTECTED_CONTEXTS);
    expect(o.endpoints.logsBackend).toBe("loki");
  });

  it("should name each bad field under env.options", () => {
    expect(() => parseExistingOptions({})).toThrow(/^env\.options\.endpoints: expected the deployment's endpoints: api, prometheus and alertmanager at least/);
    expect(() => parseExistingOptions({ endpoints: { ...endpoints, prometheus: "not a url" } })).toThrow(
      'env.options.endpoints.prometheus: expected a URL like "http://127.0.0.1:9090"',
    );
    expect(() => parseExistingOptions({ endpoints, chaosNamespace: ["x"] })).toThrow('env.options: unknown field "chaosNamespace"; check the spelling');
    expect(() => parseExistingOptions({ endpoints, alertReceiver: "0.0.0.0" })).toThrow(
      'env.options.alertReceiver: expected an IPv4 address of this machine and a port, like "10.244.0.1:9095"',
    );
  });

  it("should read KUBECONFIG's first file", () => {
    expect(defaultKubeconfig({ KUBECONFIG: "/a/one:/b/two" })).toBe("/a/one");
    expect(defaultKubeconfig({})).toMatch(/\.kube\/config$/);
  });
});

describe("guardContext", () => {
  it("should refuse a context or cluster that looks like production unless allowed", () => {
    expect(() => guardContext("eu-PROD-1", "eu1", DEFAULT_PROTECTED_CONTEXTS, false)).toThrow(
      /^kubeconfig context "eu-PROD-1" \(cluster "eu1"\) matches the protected pattern "\*prod\*"; the harness refuses to run there\. .*--allow-protected-context/,
    );
    expect(() => guardContext("admin@eu1", "live-eu1", DEFAULT_PROTECTED_CONTEXTS, false)).toThrow(/matches the protected pattern "\*live\*"/);
    expect(() => guardContext("eu-prod-1", "eu1", DEFAULT_PROTECTED_CONTEXTS, true)).not.toThrow();
    expect(() => guardContext("staging", "staging-eu1", DEFAULT_PROTECTED_CONTEXTS, false)).not.toThrow();
  });
});

describe("ExistingEnvironment.start", () => {
  it("should refuse an API that is not on this machine, and say how to port-forward it", async () => {
    const env = new ExistingEnvironment(parseExistingOptions({ endpoints: { ...endpoints, api: "http://genomics-api.example.com:8000" } }));
    await expect(env.start()).rejects.toThrow(
      /env\.options\.endpoints\.api: http:\/\/genomics-api\.example\.com:8000 is not on this machine; .*kubectl port-forward/,
    );
  });

  it("should take where the alert receiver listens, for the deployment's Alertmanager to reach", () => {
    expect(parseExistingOptions({ endpoints, alertReceiver: "10.244.0.1:9095" }).alertReceiver).toBe("10.244.0.1:9095");
    expect(parseExistingOptions({ endpoints }).alertReceiver).toBeUndefined();
  });

  it("should say which kubeconfig is missing", async () => {
    const env = new ExistingEnvironment(parseExistingOptions({ endpoints, kubeconfig: "/nonexistent/kubeconfig" }));
    await expect(env.start()).rejects.toThrow(
      "kubeconfig /nonexistent/kubeconfig does not exist; set env.options.kubeconfig (or KUBECONFIG) to the file kubectl uses for this cluster",
    );
  });
});
