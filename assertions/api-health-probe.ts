import type { Evidence, Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { backendHttp, describeHttpError } from "./clients/index.js";
import { z } from "zod";
import { probeKind } from "./probe-kind.js";

/** The target answering its health endpoint with 200: a black-box steady-state check. */
export class ApiHealthProbe implements Probe {
  readonly signal = "monitoring" as const;
  readonly visibility = "signal" as const;

  constructor(
    private readonly apiUrl: string,
    private readonly path = "/health",
  ) {}

  describe(): string {
    return `GET ${this.path} answers 200`;
  }

  async observe(_ctx: ProbeContext): Promise<ProbeAnswer> {
    const sentAt = new Date();
    const query = `GET ${this.apiUrl}${this.path}`;
    // The API is what is being checked, not a backend: not answering is an answer (unhealthy).
    const response = await backendHttp(this.apiUrl, 5000)
      .get<unknown>(this.path, { validateStatus: () => true, responseType: "text" })
      .catch((err: unknown) => ({ status: 0, data: describeHttpError("API", err).message }));
    const evidence: Evidence = { query, result: response.status ? `HTTP ${response.status} ${String(response.data).slice(0, 200)}` : String(response.data) };
    if (response.status !== 200) {
      return { miss: evidence };
    }
    return { seen: { at: sentAt, evidence } };
  }
}

export const HealthProbeSpec = z.strictObject({ path: z.string().startsWith("/").default("/health") });

export const healthProbeKind = probeKind({
  key: "health",
  signal: "monitoring",
  summary: "the API answers a health endpoint with 200 (black box, from the harness)",
  spec: HealthProbeSpec,
  kinds: ["appears"],
  steadyState: true,
  build(spec, { endpoints }) {
    return new ApiHealthProbe(endpoints.api, spec.path);
  },
});
