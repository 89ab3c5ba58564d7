import type { z } from "zod";

/**
 * Parses a provider's env.options with its schema; errors name the field under env.options, and
 * an unknown field gets the provider's own hint (what it does take).
 */
export function parseProviderOptions<S extends z.ZodType>(schema: S, options: Record<string, unknown>, unknownFieldHint: string): z.output<S> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  throw new Error(
    result.error.issues
      .map((issue) => {
        const field = ["env.options", ...issue.path.map(String)].join(".");
        if (issue.code === "unrecognized_keys") return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; ${unknownFieldHint}`;
        return `${field}: ${issue.message}`;
      })
      .join("\n"),
  );
}
