import pg from "pg";
import { TOO_MANY_CONNECTIONS } from "./pg-sessions.js";

/**
 * Idle sessions held open to take PostgreSQL's connection slots away from the API. When the
 * server refuses before the target is reached (others hold slots), a top-up loop takes every
 * slot that frees up, so the API cannot slip in between two of its own short connections.
 */
export class HeldConnections {
  private readonly clients = new Set<pg.Client>();
  private topUp: NodeJS.Timeout | undefined;
  private releasing = false;
  private filling: Promise<void> | undefined;
  /** The server's words the last time it refused us a slot. */
  lastRefusal: string | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly applicationName: string,
    readonly target: number,
  ) {}

  get held(): number {
    return this.clients.size;
  }

  /**
   * Opens sessions one by one until the target is held or the server refuses a slot. Calls
   * made while one is under way share it, so the top-up and a caller never overshoot the target.
   */
  fill(): Promise<void> {
    this.filling ??= this.fillOnce().finally(() => (this.filling = undefined));
    return this.filling;
  }

  private async fillOnce(): Promise<void> {
    while (this.clients.size < this.target && !this.releasing) {
      if (!(await this.openOne())) return;
    }
  }

  /** Keeps taking freed slots until the target is held; stops at release(). */
  startTopUp(intervalMs = 200): void {
    const tick = async () => {
      if (this.releasing) return;
      // Refusals are the expected outcome here; errors other than that stop the loop quietly,
      // since the sessions already held keep the fault in place.
      const stillRunning = await this.fill().then(
        () => true,
        () => false,
      );
      if (stillRunning && !this.releasing) this.topUp = setTimeout(() => void tick(), intervalMs);
    };
    this.topUp = setTimeout(() => void tick(), intervalMs);
  }

  async release(): Promise<number> {
    this.releasing = true;
    clearTimeout(this.topUp);
    const clients = [...this.clients];
    this.clients.clear();
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    return clients.length;
  }

  /** True when a session was opened, false when the server refused the slot. */
  private async openOne(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: this.applicationName, connectionTimeoutMillis: 3000 });
    // A held session ended by the server (terminated, restarted) frees its place for the top-up.
    const forget = () => this.clients.delete(client);
    client.on("error", forget);
    client.on("end", forget);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      if ((err as { code?: string }).code === TOO_MANY_CONNECTIONS) {
        this.lastRefusal = (err as Error).message;
        return false;
      }
      throw new Error(`opening session ${this.clients.size + 1} of ${this.target} failed: ${(err as Error).message}`, { cause: err });
    }
    if (this.releasing) {
      await client.end().catch(() => undefined);
      return false;
    }
    this.clients.add(client);
    return true;
  }
}
