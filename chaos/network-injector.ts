import { z } from "zod";
import { formatDuration } from "../core/durations.js";
import { guardBlastRadius } from "./blast-radius.js";
import type { FaultContext, FaultHandle, Injector } from "./injector.js";
import { injectFault, type FaultPlan } from "./utils/fault-handle.js";
import { durationMs, parseParams } from "./utils/params.js";
import { atAddress, connectionRefusal } from "./utils/pg-sessions.js";
import { selectOneMs, throughputKBps } from "./utils/round-trip.js";
import { listenAddress, ToxiproxyClient, type Toxic } from "./utils/toxiproxy-client.js";

const common = {
  direction: z.enum(["downstream", "upstream"], { error: 'expected "downstream" (server to client) or "upstream"' }).default("downstream"),
  /** Toxiproxy's probability that a connection gets the toxic. */
  toxicity: z
    .number({ error: "expected a probability from 0 to 1" })
    .min(0, { error: "expected a probability from 0 to 1" })
    .max(1, { error: "expected a probability from 0 to 1" })
    .default(1),
};

export const NetworkParams = z.discriminatedUnion(
  "toxic",
  [
    z.strictObject({ toxic: z.literal("latency"), latency: durationMs, jitter: durationMs.default(0), ...common }),
    /** Data stops; the connection is closed after `timeout`, never when it is 0. */
    z.strictObject({ toxic: z.literal("timeout"), timeout: durationMs.default(0), ...common }),
    /** Connections are reset (TCP RST) after `timeout`, at once when it is 0. */
    z.strictObject({ toxic: z.literal("reset_peer"), timeout: durationMs.default(0), ...common }),
    z.strictObject({ toxic: z.literal("bandwidth"), rate: z.number({ error: "expected a rate in KB/s like 64" }).int().positive(), ...common }),
  ],
  { error: 'expected toxic "latency", "timeout", "reset_peer" or "bandwidth"' },
);
export type NetworkParams = z.output<typeof NetworkParams>;

/** Added latency within this share of the requested value counts as the fault in effect. */
const LATENCY_TOLERANCE = 0.1;

function toxicAttributes(params: NetworkParams): Record<string, number> {
  switch (params.toxic) {
    case "latency":
      return { latency: params.latency, jitter: params.jitter };
    case "timeout":
    case "reset_peer":
      return { timeout: params.timeout };
    case "bandwidth":
      return { rate: params.rate };
  }
}

function summary(params: NetworkParams): string {
  const attrs = Object.entries(toxicAttributes(params)).map(([k, v]) => `${k} ${k === "rate" ? `${v} KB/s` : v === 0 ? "0ms" : formatDuration(v)}`);
  return `${params.toxic} (${[...attrs, params.direction, `toxicity ${params.toxicity}`].join(", ")})`;
}

/** Latency, stalls, resets or a thin pipe between the API and PostgreSQL, through Toxiproxy. */
export class NetworkInjector implements Injector {
  readonly name = "network";
  readonly requires = ["toxiproxy"] as const;

  describe(plan: FaultPlan): string {
    const { params, target } = this.check(plan);
    return `network on Toxiproxy proxy "${target}": add toxic ${summary(params)} for at most ${formatDuration(plan.maxDurationMs)}, then measure it through the proxy; rollback deletes the toxic`;
  }

  async inject(ctx: FaultContext): Promise<FaultHandle> {
    const { params, target } = this.check(ctx);
    const apiUrl = ctx.endpoints.toxiproxy;
    if (!apiUrl) {
      throw new Error(
        `faults[${ctx.faultId}]: the network injector needs Toxiproxy between the API and PostgreSQL, and this environment has none; ` +
          `set env.options.dbProxy: true (local provider) or use an environment with Toxiproxy`,
      );
    }
    const toxiproxy = new ToxiproxyClient(apiUrl);
    const proxy = await toxiproxy.getProxy(target).catch((err: Error) => {
      throw new Error(`faults[${ctx.faultId}].target: ${err.message}`, { cause: err });
    });
    const listen = listenAddress(proxy);
    const viaProxy = atAddress(ctx.endpoints.postgres, listen.host, listen.port);
    const toxic: Toxic = {
      name: `slo-harness-${ctx.faultId}`,
      type: params.toxic,
      stream: params.direction,
      toxicity: params.toxicity,
      attributes: toxicAttributes(params),
    };
    return injectFault(
      ctx,
      { injector: this.name, target, params },
      {
        undo: [{ kind: "toxiproxy-delete-toxic", apiUrl, proxy: target, toxic: toxic.name }],
        apply: async () => {
          await toxiproxy.addToxic(target, toxic);
        },
        verify: async () => {
          const listed = (await toxiproxy.listToxics(target)).find((t) => t.name === toxic.name);
          if (!listed) throw new Error(`Toxiproxy does not list toxic "${toxic.name}" on proxy "${target}"`);
          const seen = `Toxiproxy lists toxic "${toxic.name}" on proxy "${target}" (${proxy.listen} -> ${proxy.upstream}): ${summary(params)}`;
          // Below 1 only some connections get the toxic, so one measured connection proves nothing.
          if (params.toxicity < 1) return `${seen}; not measured, since toxicity ${params.toxicity} applies per connection`;
          return `${seen}; ${await measure(params, viaProxy, ctx.endpoints.postgres)}`;
        },
        remove: async () => {
          const deleted = await toxiproxy.deleteToxic(target, toxic.name);
          if ((await toxiproxy.listToxics(target)).some((t) => t.name === toxic.name))
            throw new Error(`toxic "${toxic.name}" is still listed on proxy "${target}" after DELETE`);
          const roundTrip = await selectOneMs(viaProxy, 5, 5000);
          return `${deleted ? "deleted" : "found no"} toxic "${toxic.name}" on proxy "${target}"; SELECT 1 through the proxy answers in ${roundTrip.toFixed(1)} ms`;
        },
      },
    );
  }

  private check(plan: FaultPlan): { params: NetworkParams; target: string } {
    const params = parseParams(NetworkParams, plan.faultId, plan.params);
    const target = plan.target ?? "postgres";
    guardBlastRadius(plan.faultId, this.name, target, plan.allowlist);
    return { params, target };
  }
}

/** The toxic's effect as a client through the proxy sees it, against PostgreSQL reached directly. */
async function measure(params: NetworkParams, viaProxy: string, direct: string): Promise<string> {
  switch (params.toxic) {
    case "latency": {
      const [directMs, proxiedMs] = [await selectOneMs(direct), await selectOneMs(viaProxy)];
      const added = proxiedMs - directMs;
      const measured = `SELECT 1 takes ${proxiedMs.toFixed(1)} ms through the proxy and ${directMs.toFixed(1)} ms directly (median of 10): ${added.toFixed(1)} ms added`;
      if (Math.abs(added - params.latency) > LATENCY_TOLERANCE * params.latency)
        throw new Error(`${measured}, more than 10 % off the requested ${params.latency} ms`);
      return `${measured}, requested ${params.latency} ms`;
    }
    case "timeout": {
      const refusal = await connectionRefusal(viaProxy, 1000);
      if (!refusal) throw new Error("a new connection through the proxy still gets answers");
      return `a new connection through the proxy got nowhere: ${refusal.message}`;
    }
    case "reset_peer": {
      if (params.timeout > 10_000)
        return `not measured: connections are reset ${formatDuration(params.timeout)} after they open, longer than a check should wait`;
      // A session kept busy past the toxic's timeout, so a delayed reset is seen too.
      const refusal = await connectionRefusal(viaProxy, 1000 + params.timeout, `SELECT pg_sleep(${(params.timeout + 500) / 1000})`);
      if (!refusal) throw new Error(`a session through the proxy lived ${params.timeout + 500} ms without being reset`);
      return `a session through the proxy was cut: ${refusal.message}`;
    }
    case "bandwidth": {
      // About two seconds of traffic at the requested rate: long enough to swamp a round trip.
      const bytes = Math.min(params.rate * 1024 * 2, 8 * 1024 * 1024);
      const kbps = await throughputKBps(viaProxy, params.direction, bytes);
      const measured = `${(bytes / 1024).toFixed(0)} KB ${params.direction} through the proxy at ${kbps.toFixed(1)} KB/s`;
      if (kbps > params.rate * (1 + LATENCY_TOLERANCE)) throw new Error(`${measured}, faster than the requested ${params.rate} KB/s`);
      return `${measured}, limit ${params.rate} KB/s`;
    }
  }
}
