import type { z } from "zod";
import { formatIssues } from "../core/errors.js";

/**
 * Parses a provider's env.options with its schema; errors name the field under env.options, and
 * an unknown field gets the provider's own hint (what it does take).
 */
export function parseProviderOptions<S extends z.ZodType>(
  schema: S,
  options: Record<string, unknown>,
  unknownFieldHint: string | ((key: string) => string),
): z.output<S> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  throw new Error(formatIssues(result.error.issues, { prefix: "env.options", value: options, schema, unknownHint: unknownFieldHint }));
}
