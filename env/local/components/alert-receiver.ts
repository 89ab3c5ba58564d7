import { startAlertReceiverAt } from "../../shared/alert-receiver/start-alert-receiver.js";
import type { ComponentContext, StartedComponent } from "./component-context.js";

export async function startAlertReceiver(ctx: ComponentContext): Promise<StartedComponent> {
  return startAlertReceiverAt({ runDir: ctx.runDir, host: "127.0.0.1", port: ctx.ports.alertReceiver, track: ctx.track });
}
