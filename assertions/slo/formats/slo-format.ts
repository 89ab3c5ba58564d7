import type { z } from "zod";
import { formatIssues } from "../../../core/errors.js";
import type { SloDefinition } from "../slo-definition.js";

/** One file format an SLO document may come in: how to recognise it and how to map it to the model. */
export interface SloFormat {
  /** What a user would call it, for messages: `OpenSLO v1alpha (apiVersion: openslo/v1alpha)`. */
  label: string;
  matches(doc: Record<string, unknown>): boolean;
  /** `source` names the file (and document) for messages. */
  read(doc: unknown, source: string): SloDefinition[];
}

/** Checks a document against a format's schema, with the usual file: field: found, expected wording. */
export function parseWith<T extends z.ZodType>(schema: T, doc: unknown, source: string): z.infer<T> {
  const parsed = schema.safeParse(doc);
  if (!parsed.success) throw new Error(formatIssues(parsed.error.issues, { file: source, value: doc, schema }));
  return parsed.data as z.infer<T>;
}
