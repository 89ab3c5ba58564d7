import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import axios from "axios";
import { execa, type ResultPromise } from "execa";
import { commandEnvironment } from "../../env/shared/target-build.js";
import { freePort } from "../../env/shared/free-port.js";
import { loadExperiment } from "../../runner/experiment-loader.js";
import { planLoad } from "../../scenarios/scenario-registry.js";
import { VegetaLoad } from "../../scenarios/vegeta-runner.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const TOKEN = "Bearer checkout-test-token";
const ITEMS = [17, 42, 256, 999];

interface Recorded {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string[]>;
  body: string;
  status: number;
}

const EXPERIMENT = `title: Orders reach checkout-api with their real shapes
load:
  rate: 20/s
  duration: 3s
  params:
    item: { csv: data/items.csv, column: item_id }
  requests:
    - name: place-order
      method: POST
      path: /orders
      headers:
        Authorization: { env: SLO_HARNESS_TEST_CHECKOUT_TOKEN }
      body: { item: "{item}", quantity: "{qty}" }
      params:
        qty: { range: { from: 1, to: 3 } }
      weight: 3
    - name: read-item
      path: /items/{item}
expectations:
  - { id: api-up, metric: 'up > 0', within: 60s of run-start }
`;

/** Issue 18's bar: POST, a JSON body, an auth header from the environment and CSV parameters, as checkout-api itself recorded them. */
describe("request shapes reaching checkout-api", () => {
  let service: ResultPromise;
  let baseUrl: string;

  beforeAll(async () => {
    await execa("go", ["build", "-trimpath", "-o", "bin/checkout-api", "."], { cwd: here, env: commandEnvironment() });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    service = execa(path.join(here, "bin", "checkout-api"), [], {
      env: { PORT: String(port), HOST: "127.0.0.1", CHECKOUT_TOKEN: TOKEN.slice("Bearer ".length) },
      reject: false,
    });
    for (let i = 0; i < 100; i++) {
      const up = await axios.get(`${baseUrl}/health`, { proxy: false, validateStatus: () => true }).catch(() => undefined);
      if (up?.status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`checkout-api did not answer ${baseUrl}/health within 10 s`);
  }, 300_000);

  afterAll(async () => {
    service.kill("SIGTERM");
    await service;
  });

  it("should record every order as POST /orders with the JSON body, the token from the environment and an item from the CSV", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "checkout-shapes-"));
    mkdirSync(path.join(dir, "data"));
    writeFileSync(path.join(dir, "data", "items.csv"), `item_id,name\n${ITEMS.map((i) => `${i},item ${i}`).join("\n")}\n`);
    writeFileSync(path.join(dir, "orders.yaml"), EXPERIMENT);
    process.env.SLO_HARNESS_TEST_CHECKOUT_TOKEN = TOKEN;
    let load: VegetaLoad;
    try {
      load = new VegetaLoad(planLoad(loadExperiment(path.join(dir, "orders.yaml")).experiment.load!), { baseUrl });
    } finally {
      delete process.env.SLO_HARNESS_TEST_CHECKOUT_TOKEN;
    }
    await load.run();
    const { requests } = (await axios.get<{ requests: Recorded[] }>(`${baseUrl}/debug/requests`, { proxy: false })).data;
    const orders = requests.filter((r) => r.path === "/orders");
    const reads = requests.filter((r) => r.path.startsWith("/items/"));
    expect(orders.length + reads.length).toBe(60);
    // 3:1 over 60 requests is 45 orders; templates picked alike would give about 30.
    expect(orders.length).toBeGreaterThanOrEqual(38);
    const tokenHash = `sha256:${createHash("sha256").update(TOKEN).digest("hex").slice(0, 16)}`;
    for (const order of orders) {
      const body = JSON.parse(order.body) as { item: number; quantity: number };
      expect({
        method: order.method,
        auth: order.headers.Authorization,
        contentType: order.headers["Content-Type"],
        itemFromCsv: ITEMS.includes(body.item),
        quantityInRange: Number.isInteger(body.quantity) && body.quantity >= 1 && body.quantity <= 3,
        status: order.status,
      }).toEqual({ method: "POST", auth: [tokenHash], contentType: ["application/json"], itemFromCsv: true, quantityInRange: true, status: 201 });
    }
    for (const read of reads) {
      expect({
        method: read.method,
        itemFromCsv: ITEMS.includes(Number(read.path.slice("/items/".length))),
        auth: read.headers.Authorization,
        status: read.status,
      }).toEqual({
        method: "GET",
        itemFromCsv: true,
        auth: undefined,
        status: 200,
      });
    }
    expect(new Set(orders.map((o) => (JSON.parse(o.body) as { item: number }).item)).size).toBeGreaterThan(1);
  });
});
