import { z } from "zod";
import { isDuration, parseDuration } from "../../core/durations.js";

/** A duration as experiment files write it ("200ms", "5s"), parsed to milliseconds. */
export const durationMs = z
  .string({ error: 'expected a duration like "200ms" or "5s"' })
  .refine(isDuration, { error: 'expected a duration like "200ms" or "5s"' })
  .transform(parseDuration);

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

function valueAt(params: unknown, path: readonly PropertyKey[]): unknown {
  let value = params;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/**
 * Validates a fault's `with:` block. Errors point at the experiment file's own words:
 * `faults[pool-exhausted].with.hold: expected a count like 30 or a percentage like "100%", got "lots"`.
 */
export function parseParams<S extends z.ZodType>(schema: S, faultId: string, params: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    const field = [`faults[${faultId}].with`, ...issue.path.map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
      return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; remove ${issue.keys.length > 1 ? "them" : "it"} or check the spelling`;
    }
    return `${field}: ${issue.message}, got ${describeValue(valueAt(params, issue.path))}`;
  });
  throw new Error(messages.join("\n"));
}
