import { z } from "zod";
import { isDuration, parseDuration } from "./durations.js";

/** Building blocks of the experiment file format, shared by the experiment spec and each probe's own part of it. */
export const duration = z.string().refine(isDuration, { message: 'expected a duration like "90s", "2m" or "1h30m", at most 31d' });
/** A stretch something lasts (a load, a fault): more than nothing. */
export const positiveDuration = duration.refine((d) => !isDuration(d) || parseDuration(d) > 0, { message: 'expected a duration longer than 0, like "90s"' });
export const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'expected a kebab-case id like "pool-exhausted"' });
export const comparator = z.enum([">", ">=", "<", "<=", "==", "!="]);

/** "60s of pool-exhausted.start", "10m of run-start", "15m of pool-exhausted.end". */
export const DEADLINE = /^(\S+) of (run-start|load-end|([a-z0-9][a-z0-9-]*)\.(start|end))$/;
export const deadline = z
  .string()
  .regex(DEADLINE, {
    message: 'expected "<duration> of <anchor>", anchor run-start, load-end, <fault-id>.start or <fault-id>.end, e.g. "60s of pool-exhausted.start"',
  })
  .refine((s) => isDuration(DEADLINE.exec(s)?.[1] ?? ""), { message: 'the deadline must start with a duration like "60s", at most 31d' });
