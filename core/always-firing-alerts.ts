import { z } from "zod";

/**
 * Alerts a stack fires all the time on purpose: kube-prometheus's Watchdog (a dead man's switch
 * that proves the alerting pipeline works by never stopping) and InfoInhibitor (firing while
 * info-level alerts do, to mute them), and the DeadMansSwitch of older stacks. A "no alert firing"
 * check that counted them would fail on every real cluster.
 */
export const ALWAYS_FIRING_ALERTS = ["Watchdog", "InfoInhibitor", "DeadMansSwitch"];

/** The probe key of the named check no-alert-firing; it is built in assertions and is no file field. */
export const QUIET_ALERTS_PROBE = "no-alert-firing";

// Prometheus refuses an alert whose name is not a valid metric name, so such a name needs no escaping in a regex matcher.
const alertName = z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]*$/, { message: 'expected an alert name like "Watchdog"' });

/**
 * The experiment's `alerts:` block. It lives in the experiment, not the operator's config: which
 * alerts fire on purpose is a fact of the stack under test, reviewed with the file that tests it,
 * and the check's evidence names every alert it ignored. A list replaces the default; [] ignores none.
 */
export const AlertsSpec = z.strictObject({ alwaysFiring: z.array(alertName).default(ALWAYS_FIRING_ALERTS) }).default({ alwaysFiring: ALWAYS_FIRING_ALERTS });
