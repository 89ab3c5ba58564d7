import { z } from "zod";
import { readSecret, SecretRef } from "../core/backend-auth.js";
import { formatDuration } from "../core/durations.js";
import { BadInputError } from "../core/errors.js";
import { guardBlastRadius } from "./blast-radius.js";
import type { FaultContext, FaultHandle, Injector } from "./injector.js";
import { injectFault, type FaultPlan, type FaultSteps } from "./utils/fault-handle.js";
import { HeldConnections } from "./utils/held-connections.js";
import { parseParams } from "./utils/params.js";
import { pollUntil } from "./utils/poll.js";
import {
  applicationNameFor,
  asRole,
  CHAOS_ROLE,
  connectionRefusal,
  connectionSlots,
  dropChaosRoleIfIdle,
  describeTarget,
  ensureChaosRole,
  sessionPids,
  terminateSessions,
  TOO_MANY_CONNECTIONS,
} from "./utils/pg-sessions.js";
import { probeRead, TableLock, tableExists } from "./utils/table-lock.js";

const HOLD_ERROR = 'expected a count like 30 or a percentage like "100%"';
const hold = z.custom<number | `${number}%`>(
  (v) =>
    (typeof v === "number" && Number.isInteger(v) && v > 0) || (typeof v === "string" && /^\d+(\.\d+)?%$/.test(v) && parseFloat(v) > 0 && parseFloat(v) <= 100),
  { error: HOLD_ERROR },
);
/** The role the API connects as: inject() shows that it is refused or blocked. Default: the role the stack made for the target. */
const apiRole = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, { error: "expected a PostgreSQL role name like orders_app" })
  .optional();
/** Where the API role's password is, when the database asks for one: without it the refusal check sees only a failed login. */
const apiPassword = SecretRef.optional();

export const PoolExhaustionParams = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({ mode: z.literal("connections"), hold: hold.default("100%"), apiRole, apiPassword }),
    z.strictObject({
      mode: z.literal("lock"),
      table: z
        .string({ error: "expected the table the API reads, like orders or public.orders" })
        .regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/, { error: "expected a table name like orders or public.orders" }),
      apiRole,
      apiPassword,
    }),
  ],
  { error: 'expected mode "connections" (hold connection slots) or "lock" (lock the table the API reads)' },
);
export type PoolExhaustionParams = z.output<typeof PoolExhaustionParams>;
type ConnectionsParams = Extract<PoolExhaustionParams, { mode: "connections" }>;
type LockParams = Extract<PoolExhaustionParams, { mode: "lock" }>;

/**
 * How long verify keeps checking that the API's role is refused. A slot the API held when we
 * filled can free up before the check; the top-up takes it within a few of its ticks.
 */
const REFUSAL_CHECK_MS = 5000;
const REFUSAL_RETRY_MS = 250;

/** How long a read as the API's role may wait for its lock before we call it blocked. */
const BLOCKED_AFTER_MS = 500;

/**
 * The article's incident: the API's database has no connection left for it (connections), or
 * every query of the analysis view queues behind a lock (lock).
 */
export class PoolExhaustionInjector implements Injector {
  readonly name = "pool-exhaustion";
  readonly requires = ["postgres"] as const;

  describe(plan: FaultPlan): string {
    const { params, target } = this.check(plan);
    const app = applicationNameFor(plan.faultId);
    const role = params.apiRole ? `"${params.apiRole}"` : "the target's role";
    const bound = formatDuration(plan.maxDurationMs);
    if (params.mode === "connections") {
      const amount =
        typeof params.hold === "number"
          ? `${params.hold} connection slots`
          : `${params.hold} of the ordinary connection slots (max_connections minus the superuser-reserved ones)`;
      return (
        `pool-exhaustion on "${target}": hold ${amount} as role ${CHAOS_ROLE} (application_name '${app}') for at most ${bound}, ` +
        `and check that a new connection as ${role} is refused; rollback closes them and terminates any session left with that application_name`
      );
    }
    return (
      `pool-exhaustion on "${target}": hold ACCESS EXCLUSIVE on table "${params.table}" in one open transaction (application_name '${app}') for at most ${bound}, ` +
      `so every read of it as ${role} queues; rollback ends the transaction and checks the lock is gone`
    );
  }

  async inject(ctx: FaultContext): Promise<FaultHandle> {
    const { params, target } = this.check(ctx);
    const admin = ctx.endpoints.postgres;
    const applicationName = applicationNameFor(ctx.faultId);
    const steps = params.mode === "connections" ? await this.connectionSteps(ctx, params, applicationName) : await this.lockSteps(ctx, params, applicationName);
    return injectFault(
      ctx,
      { injector: this.name, target, params },
      { undo: [{ kind: "pg-terminate-sessions", connectionString: admin, applicationName }], ...steps },
    );
  }

  private check(plan: FaultPlan): { params: PoolExhaustionParams; target: string } {
    const params = parseParams(PoolExhaustionParams, plan.faultId, plan.params);
    const target = plan.target ?? "postgres";
    guardBlastRadius(plan.faultId, this.name, target, plan.allowlist);
    return { params, target };
  }

  private async connectionSteps(ctx: FaultContext, params: ConnectionsParams, applicationName: string): Promise<Omit<FaultSteps, "undo">> {
    const admin = ctx.endpoints.postgres;
    const role = apiRoleOf(ctx, params);
    const apiConnection = asRole(admin, role, params.apiPassword && readSecret(params.apiPassword, `faults[${ctx.faultId}].with.apiPassword`));
    const [password, slots] = await Promise.all([ensureChaosRole(admin), connectionSlots(admin)]).catch((err: Error) => {
      throw new Error(`faults[${ctx.faultId}]: preparing the pool-exhaustion fault through the admin connection failed: ${err.message}`, { cause: err });
    });
    const target = typeof params.hold === "number" ? params.hold : Math.ceil((parseFloat(params.hold) / 100) * slots.ordinary);
    const exhausts = target >= slots.ordinary;
    const holder = new HeldConnections(asRole(admin, CHAOS_ROLE, password), applicationName, target);
    let fillMs = 0;
    return {
      apply: async () => {
        const started = Date.now();
        await holder.fill();
        fillMs = Date.now() - started;
        if (holder.held < target) holder.startTopUp();
      },
      verify: async () => {
        const seen = await pollUntil(
          `${holder.held} sessions with application_name '${applicationName}' in pg_stat_activity`,
          async () => {
            const pids = await sessionPids(admin, applicationName);
            return pids.length >= holder.held ? pids.length : undefined;
          },
          3000,
        );
        const { refusal, attempts } = await this.checkRefused(holder, apiConnection, exhausts);
        const held = `held ${holder.held} of ${slots.ordinary} ordinary slots (max_connections ${slots.maxConnections}, ${slots.superuserReserved} reserved) in ${fillMs} ms; pg_stat_activity shows ${seen} sessions with application_name '${applicationName}'`;
        const tries = attempts > 1 ? ` (on check ${attempts}: the API's own short sessions freed slots that the top-up then took)` : "";
        if (refusal?.code === TOO_MANY_CONNECTIONS) return `${held}; a new connection as "${role}" was refused${tries}: "${refusal.message}"`;
        if (refusal) throw new Error(`${held}; but the check connection as "${role}" failed for another reason: ${refusal.message}`);
        if (exhausts)
          throw new Error(
            `${held}; but a new connection as "${role}" still got in on ${attempts} checks over ${REFUSAL_CHECK_MS} ms, so the pool is not exhausted`,
          );
        return `${held}; "${role}" can still connect, as asked (hold ${params.hold} leaves slots free)`;
      },
      remove: async () => {
        const started = Date.now();
        const closed = await holder.release();
        const leftovers = await terminateSessions(admin, applicationName);
        const freedMs = Date.now() - started;
        const refusal = await connectionRefusal(apiConnection);
        const apiNow = refusal
          ? `a new connection as "${role}" is still refused (${refusal.message}), by sessions that are not this fault's`
          : `a new connection as "${role}" gets in again`;
        const chaosRole = await dropChaosRoleIfIdle(admin);
        return `closed ${closed} sessions and terminated ${leftovers} leftovers in ${freedMs} ms; none with application_name '${applicationName}' remain; ${apiNow}; ${chaosRole}`;
      },
    };
  }

  /** Checks a new connection as the API is refused; when exhausting, retries after topping up. */
  private async checkRefused(
    holder: HeldConnections,
    apiConnection: string,
    exhausts: boolean,
  ): Promise<{ refusal: (Error & { code?: string }) | undefined; attempts: number }> {
    const deadline = Date.now() + REFUSAL_CHECK_MS;
    for (let attempts = 1; ; attempts++) {
      await holder.fill();
      const refusal = await connectionRefusal(apiConnection);
      if (refusal || !exhausts || Date.now() >= deadline) return { refusal, attempts };
      await new Promise((resolve) => setTimeout(resolve, REFUSAL_RETRY_MS));
    }
  }

  private async lockSteps(ctx: FaultContext, params: LockParams, applicationName: string): Promise<Omit<FaultSteps, "undo">> {
    const admin = ctx.endpoints.postgres;
    if (!(await tableExists(admin, params.table))) {
      throw new Error(`faults[${ctx.faultId}].with.table: there is no table "${params.table}" in ${describeTarget(admin)}; name a table the API reads`);
    }
    const lock = new TableLock(admin, applicationName, params.table);
    const role = apiRoleOf(ctx, params);
    const apiConnection = asRole(admin, role, params.apiPassword && readSecret(params.apiPassword, `faults[${ctx.faultId}].with.apiPassword`));
    return {
      apply: () => lock.acquire(),
      verify: async () => {
        const holder = await lock.grantedTo();
        if (!holder?.granted) throw new Error(`pg_locks shows no granted ACCESS EXCLUSIVE lock on "${params.table}" for application_name '${applicationName}'`);
        const read = await probeRead(apiConnection, params.table, BLOCKED_AFTER_MS);
        const granted = `pg_locks: ACCESS EXCLUSIVE on "${params.table}" granted to pid ${holder.pid}`;
        if (!read.blocked) throw new Error(`${granted}, yet a read of it as "${role}" went through in ${read.tookMs} ms`);
        return `${granted}; a read of it as "${role}" waited ${read.tookMs} ms and gave up: "${read.blocked}"`;
      },
      remove: async () => {
        const started = Date.now();
        await lock.release();
        const leftovers = await terminateSessions(admin, applicationName);
        const stillHeld = await lock.grantedTo();
        if (stillHeld) throw new Error(`pg_locks still shows the lock on "${params.table}" held by pid ${stillHeld.pid}`);
        const read = await probeRead(apiConnection, params.table, 5000);
        if (read.blocked) throw new Error(`the lock is gone from pg_locks, yet a read of "${params.table}" as "${role}" is still blocked: ${read.blocked}`);
        return `lock on "${params.table}" released in ${Date.now() - started} ms (${leftovers} leftover sessions terminated); a read of it as "${role}" answered in ${read.tookMs} ms`;
      },
    };
  }
}

/** The role to check: the fault's apiRole, else the one the stack made for its target; a database it did not make needs it named. */
function apiRoleOf(ctx: FaultContext, params: PoolExhaustionParams): string {
  const role = params.apiRole ?? ctx.endpoints.postgresRole;
  if (!role)
    throw new BadInputError(
      `faults[${ctx.faultId}].with.apiRole: this stack's database was not made by the harness, so the role the API connects as is unknown; give it, e.g. apiRole: orders_app`,
    );
  return role;
}
