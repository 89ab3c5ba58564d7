import type { Evidence, Observation, Probe, ProbeContext } from "./probe.js";
import { backendHttp, describeHttpError } from "./clients/index.js";
import type { ReportsMisses } from "./utils/miss-evidence.js";

/** The target answering its health endpoint with 200: a black-box steady-state check. */
export class ApiHealthProbe implements Probe, ReportsMisses {
  readonly signal = "monitoring" as const;
  readonly visibility = "signal" as const;
  private miss: Evidence | undefined;

  constructor(private readonly apiUrl: string, private readonly path = "/health") {}

  describe(): string {
    return `GET ${this.path} answers 200`;
  }

  lastMiss(): Evidence | undefined {
    return this.miss;
  }

  async observe(_ctx: ProbeContext): Promise<Observation | undefined> {
    const sentAt = new Date();
    const query = `GET ${this.apiUrl}${this.path}`;
    // The API is what is being checked, not a backend: not answering is an answer (unhealthy).
    const response = await backendHttp(this.apiUrl, 5000)
      .get<unknown>(this.path, { validateStatus: () => true, responseType: "text" })
      .catch((err: unknown) => ({ status: 0, data: describeHttpError("API", err).message }));
    const evidence: Evidence = { query, result: response.status ? `HTTP ${response.status} ${String(response.data).slice(0, 200)}` : String(response.data) };
    if (response.status !== 200) {
      this.miss = evidence;
      return undefined;
    }
    return { at: sentAt, evidence };
  }
}
