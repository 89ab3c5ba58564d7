import { z } from "zod";
import { isDuration, parseDuration } from "../../core/durations.js";
import { formatIssues } from "../../core/errors.js";

/** A duration as experiment files write it ("200ms", "5s"), parsed to milliseconds. */
export const durationMs = z
  .string({ error: 'expected a duration like "200ms" or "5s"' })
  .refine(isDuration, { error: 'expected a duration like "200ms" or "5s"' })
  .transform(parseDuration);

/**
 * Validates a fault's `with:` block. Errors point at the experiment file's own words:
 * `faults[pool-exhausted].with.hold: expected a count like 30 or a percentage like "100%", got "lots"`.
 */
export function parseParams<S extends z.ZodType>(schema: S, faultId: string, params: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  throw new Error(
    formatIssues(result.error.issues, { prefix: `faults[${faultId}].with`, value: params, schema, unknownHint: "remove it or check the spelling" }),
  );
}
