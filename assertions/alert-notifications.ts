import type { Notification } from "./clients/index.js";
import { hasLabels } from "./utils/labels.js";

export interface NotificationMatch {
  receivedAt: Date;
  startsAt?: Date;
  /** Resolved alerts: when Prometheus saw the condition clear. */
  endsAt?: Date;
  groupKey: string;
  /** The Alertmanager receiver that sent it. */
  receiver: string;
}

function parseTime(text: string | undefined): Date | undefined {
  // Alertmanager writes the zero time for "unset".
  if (!text || text.startsWith("0001-")) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function matches(n: Notification, labels: Record<string, string>, status: "firing" | "resolved") {
  return n.payload.alerts.find((a) => a.status === status && hasLabels(a.labels, labels));
}

/**
 * The page for a matching alert: the first firing notification received at or after `since`, or
 * an earlier one whose alert had not been resolved by `since` (it was already paging: pre-existing).
 */
export function firingNotification(notifications: Notification[], labels: Record<string, string>, since: Date): NotificationMatch | undefined {
  const ordered = [...notifications].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  let standing: NotificationMatch | undefined;
  for (const n of ordered) {
    const receivedAt = new Date(n.receivedAt);
    const firing = matches(n, labels, "firing");
    if (receivedAt >= since) {
      if (standing) return standing;
      if (firing) return { receivedAt, startsAt: parseTime(firing.startsAt), groupKey: n.payload.groupKey, receiver: n.payload.receiver };
      continue;
    }
    if (firing) standing = { receivedAt, startsAt: parseTime(firing.startsAt), groupKey: n.payload.groupKey, receiver: n.payload.receiver };
    else if (matches(n, labels, "resolved")) standing = undefined;
  }
  return standing;
}

/** The first resolved notification for a matching alert received at or after `since`. */
export function resolvedNotification(notifications: Notification[], labels: Record<string, string>, since: Date): NotificationMatch | undefined {
  for (const n of [...notifications].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))) {
    const receivedAt = new Date(n.receivedAt);
    if (receivedAt < since) continue;
    const resolved = matches(n, labels, "resolved");
    if (resolved)
      return {
        receivedAt,
        startsAt: parseTime(resolved.startsAt),
        endsAt: parseTime(resolved.endsAt),
        groupKey: n.payload.groupKey,
        receiver: n.payload.receiver,
      };
  }
  return undefined;
}
