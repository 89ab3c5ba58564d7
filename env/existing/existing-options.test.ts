import { guardContext } from "./context-guard.js";
import { DEFAULT_PROTECTED_CONTEXTS, NO_OPERATOR_GUARDS } from "../../core/operator-guards.js";
import { defaultKubeconfig, existingTargetProblem, parseExistingOptions } from "./existing-options.js";
import type { TargetModel } from "../../core/target-spec.js";
import { ExistingEnvironment } from "./existing-environment.js";

const endpoints = { api: "http://127.0.0.1:8000", prometheus: "http://127.0.0.1:9090", alertmanager: "http://127.0.0.1:9093" };

describe("existing provider options", () => {
  it("should take the endpoints, with Loki as the default log store", () => {
    const o = parseExistingOptions({ endpoints, context: "staging" });
    expect(o.endpoints.logsBackend).toBe("loki");
  });

  it("should refuse the operator's guards from an experiment, saying where they go", () => {
    expect(() => parseExistingOptions({ endpoints, chaosNamespaces: ["*"] })).toThrow(
      "env.options: unknown field \"chaosNamespaces\"; chaosNamespaces is the operator's, not the experiment's: pass it on the command line (--chaos-namespace, --protected-context) or in ~/.config/slo-harness/operator.yaml",
    );
    expect(() => parseExistingOptions({ endpoints, protectedContexts: [] })).toThrow(/unknown field "protectedContexts"; protectedContexts is the operator's/);
  });

  it("should refuse credentials written into the file, and take them from the environment or a file instead", () => {
    expect(() => parseExistingOptions({ endpoints: { ...endpoints, prometheus: "http://slo:s3cret@127.0.0.1:9090" } })).toThrow(
      /^env\.options\.endpoints\.prometheus: a URL holds no credentials .*auth: \{ prometheus: \{ basic:/,
    );
    expect(() => parseExistingOptions({ endpoints: { ...endpoints, postgres: "postgresql://genomics:pw@127.0.0.1:5432/genomics" } })).toThrow(
      /^env\.options\.endpoints\.postgres: a connection string holds no password .*postgresPassword/,
    );
    expect(() => parseExistingOptions({ endpoints, auth: { prometheus: { bearerToken: "eyJhbGciOi" } } })).toThrow(
      /^env\.options\.auth\.prometheus\.bearerToken: expected where the secret is, "env:NAME" or "file:\/path\/to\/secret", never the secret itself/,
    );
    expect(() => parseExistingOptions({ endpoints, auth: { logs: { headers: { Authorization: "Bearer x" } } } })).toThrow(
      /env\.options\.auth\.logs\.headers\.Authorization: Authorization carries a credential/,
    );
    const o = parseExistingOptions({
      endpoints: { ...endpoints, postgres: "postgresql://genomics@127.0.0.1:5432/genomics" },
      postgresPassword: "env:PGPASSWORD",
      auth: { prometheus: { basic: { username: "slo", password: "file:/run/secrets/prom" }, ca: "/etc/ca.pem" }, logs: { headers: { AccountID: "7" } } },
    });
    expect(o.auth?.prometheus?.basic?.username).toBe("slo");
    expect(o.auth?.logs?.headers).toEqual({ AccountID: "7" });
  });

  it("should name each bad field under env.options", () => {
    expect(() => parseExistingOptions({})).toThrow(
      /^env\.options\.endpoints: expected the deployment's endpoints: prometheus and alertmanager at least, and api unless/,
    );
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

describe("existingTargetProblem", () => {
  const target = (url?: string): TargetModel => ({
    name: "checkout-api",
    health: "/healthz",
    metrics: "/metrics",
    build: [],
    rules: [],
    ...(url ? { url } : {}),
    dir: "/srv/checkout",
    source: "/srv/checkout/target.yaml",
  });
  const { api: _api, ...withoutApi } = endpoints;

  it("should take the API's address from endpoints.api or the target's url, once", () => {
    expect(existingTargetProblem(parseExistingOptions({ endpoints }), undefined)).toBeUndefined();
    expect(existingTargetProblem(parseExistingOptions({ endpoints: withoutApi }), target("http://127.0.0.1:8080"))).toBeUndefined();
    expect(existingTargetProblem(parseExistingOptions({ endpoints }), target("http://127.0.0.1:8000"))).toBeUndefined();
  });

  it("should name what is missing or contradicts, with the fix", () => {
    expect(existingTargetProblem(parseExistingOptions({ endpoints: withoutApi }), undefined)).toMatch(
      /^env\.options\.endpoints\.api: expected the URL of the API under load, like http:\/\/127\.0\.0\.1:8000, or a target with url:/,
    );
    expect(existingTargetProblem(parseExistingOptions({ endpoints: withoutApi }), target())).toMatch(/^env\.options\.endpoints\.api: expected/);
    expect(existingTargetProblem(parseExistingOptions({ endpoints }), target("http://127.0.0.1:8080"))).toBe(
      "env.options.endpoints.api: http://127.0.0.1:8000, but the target's url (/srv/checkout/target.yaml) is http://127.0.0.1:8080; give the API's address once, in the target",
    );
  });
});

describe("guardContext", () => {
  it("should refuse a context or cluster that looks like production unless allowed", () => {
    expect(() => guardContext("eu-PROD-1", "eu1", NO_OPERATOR_GUARDS)).toThrow(
      /^kubeconfig context "eu-PROD-1" \(cluster "eu1"\) matches the protected pattern "\*prod\*"; the harness refuses to run there\. .*--allow-protected-context/,
    );
    expect(() => guardContext("admin@eu1", "live-eu1", NO_OPERATOR_GUARDS)).toThrow(/matches the protected pattern "\*live\*"/);
    expect(() => guardContext("eu-prod-1", "eu1", { ...NO_OPERATOR_GUARDS, allowProtectedContext: true })).not.toThrow();
    expect(() => guardContext("staging", "staging-eu1", NO_OPERATOR_GUARDS)).not.toThrow();
    expect(() => guardContext("gke_acme_eu-prd-2", "eu2", NO_OPERATOR_GUARDS)).toThrow(/matches the protected pattern "\*prd\*"/);
    // An operator's patterns add to the defaults; an empty list never removes them.
    expect(() => guardContext("eu-prod-1", "eu1", { protectedContexts: [], allowProtectedContext: false })).toThrow(/"\*prod\*"/);
    expect(() => guardContext("acme-main", "main", { protectedContexts: ["*-main"], allowProtectedContext: false })).toThrow(/"\*-main"/);
    expect(DEFAULT_PROTECTED_CONTEXTS).toContain("*prd*");
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

  it("should take where the harness serves its own metrics to the deployment's Prometheus, naming the field when it is no address", () => {
    expect(parseExistingOptions({ endpoints, harnessMetrics: "10.244.0.1:9464" }).harnessMetrics).toBe("10.244.0.1:9464");
    expect(parseExistingOptions({ endpoints }).harnessMetrics).toBeUndefined();
    expect(() => parseExistingOptions({ endpoints, harnessMetrics: "metrics.example.com:9464" })).toThrow(
      'env.options.harnessMetrics: expected an IPv4 address of this machine and a port, like "10.244.0.1:9464"',
    );
  });

  it("should say which kubeconfig is missing", async () => {
    const env = new ExistingEnvironment(parseExistingOptions({ endpoints, kubeconfig: "/nonexistent/kubeconfig" }));
    await expect(env.start()).rejects.toThrow(
      "kubeconfig /nonexistent/kubeconfig does not exist; set env.options.kubeconfig (or KUBECONFIG) to the file kubectl uses for this cluster",
    );
  });
});
