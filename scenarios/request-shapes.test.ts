import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadExperiment } from "../runner/experiment-loader.js";
import { planLoad } from "./scenario-registry.js";
import { VegetaLoad } from "./vegeta-runner.js";

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const CUSTOMERS = [
  ["C-001", "eu-west"],
  ["C-002", "us-east"],
  ["C-003", 'ap "south"'],
  ["C-004", "eu-north"],
];

const EXPERIMENT = `title: Checkout requests arrive with their real shapes
load:
  rate: 100/s
  duration: 2s
  params:
    customer: { csv: data/customers.csv, column: customer_id }
    region: { csv: data/customers.csv, column: region }
  requests:
    - name: place-order
      method: POST
      path: /orders
      headers:
        Authorization: { env: SLO_HARNESS_TEST_CHECKOUT_TOKEN }
      body: { customer: "{customer}", quantity: "{qty}", note: "for {customer} in {region}" }
      params:
        qty: { range: { from: 1, to: 5 } }
      weight: 3
    - name: read-order
      path: /orders/{customer}
      headers: { X-Region: "{region}" }
    - name: cancel-order
      method: DELETE
      path: /orders/{customer}
      weight: 0
expectations:
  - id: api-up
    metric: 'up > 0'
    within: 60s of run-start
`;

describe("request shapes through the real Vegeta", () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  const token = "Bearer s3cret-from-the-environment";

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("should send POST with a JSON body, the token from the environment and CSV rows, by weight, and count per template", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "request-shapes-"));
    const experimentDir = path.join(dir, "experiments");
    mkdirSync(path.join(experimentDir, "data"), { recursive: true });
    // Quoted as CSV needs it: a value with quotes must reach the body as valid JSON.
    writeFileSync(
      path.join(experimentDir, "data", "customers.csv"),
      `customer_id,region\n${CUSTOMERS.map(([id, r]) => `${id},"${r!.replace(/"/g, '""')}"`).join("\n")}\n`,
    );
    const file = path.join(experimentDir, "checkout.yaml");
    writeFileSync(file, EXPERIMENT);
    process.env.SLO_HARNESS_TEST_CHECKOUT_TOKEN = token;
    let load: VegetaLoad;
    try {
      const { experiment } = loadExperiment(file);
      load = new VegetaLoad(planLoad(experiment.load!), { baseUrl });
    } finally {
      delete process.env.SLO_HARNESS_TEST_CHECKOUT_TOKEN;
    }
    seen.length = 0;
    const collector = await load.run();

    expect(seen).toHaveLength(200);
    const regionOf = new Map(CUSTOMERS.map(([id, region]) => [id!, region!]));
    const posts = seen.filter((s) => s.method === "POST");
    const gets = seen.filter((s) => s.method === "GET");
    expect(posts.length + gets.length).toBe(200);
    // 3:1 over 200 requests is 150 expected; uniform picks (weights ignored) would give about 67 of 3 kinds.
    expect(posts.length).toBeGreaterThanOrEqual(130);
    expect(posts.length).toBeLessThanOrEqual(170);
    for (const post of posts) {
      expect(post.path).toMatch(/^\/orders\?slo_harness_trace=[0-9a-f]{32}$/);
      expect(post.headers.authorization).toBe(token);
      expect(post.headers["content-type"]).toBe("application/json");
      const body = JSON.parse(post.body) as { customer: string; quantity: number; note: string };
      expect(regionOf.has(body.customer)).toBe(true);
      expect(Number.isInteger(body.quantity) && body.quantity >= 1 && body.quantity <= 5).toBe(true);
      // One CSV row per request: the region is the customer's own.
      expect(body.note).toBe(`for ${body.customer} in ${regionOf.get(body.customer)}`);
    }
    for (const get of gets) {
      const customer = /^\/orders\/(C-\d{3})\?slo_harness_trace=/.exec(get.path)?.[1];
      expect(regionOf.has(customer ?? "")).toBe(true);
      expect(get.headers["x-region"]).toBe(regionOf.get(customer!));
      expect(get.headers.authorization).toBeUndefined();
      expect(get.body).toBe("");
    }
    expect(new Set(posts.map((p) => JSON.parse(p.body).customer)).size).toBeGreaterThan(1);
    expect(collector.result("steady", baseUrl).byRequest).toEqual({
      "place-order": { requests: posts.length, errors: 0 },
      "read-order": { requests: gets.length, errors: 0 },
    });
  });
});
