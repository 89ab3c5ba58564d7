import type { AlertmanagerClient, AlertReceiverClient, PrometheusClient } from "../clients/index.js";

/** Every place an alert shows: Prometheus (rules, ALERTS), Alertmanager, and the harness's webhook receiver. */
export interface AlertBackends {
  prometheus: PrometheusClient;
  alertmanager: AlertmanagerClient;
  receiver: AlertReceiverClient;
}

/** The alert an expectation waits for, and how far along its path it must get. */
export interface AlertTarget {
  name: string;
  labels: Record<string, string>;
  state: "firing" | "notified" | "resolved";
}
