import type { RequestTemplate } from "../../core/experiment-model.js";
import type { LoadPlan } from "../load-plan.js";
import { resolveRequests, type DrawSource } from "../request-sources.js";
import type { Piece } from "../request-template.js";

/** A header the runners fill from their own environment, which a Kubernetes Secret supplies: the script never holds it. */
export interface SecretHeader {
  env: string;
}

/** One request template as the generated script carries it: text split into pieces, files and CSV columns inlined. */
export interface K6Template {
  name: string;
  method: string;
  weight: number;
  path: Piece[];
  headers: [string, Piece[] | SecretHeader][];
  body?: { base64: string } | { pieces: Piece[] };
  params: Record<string, DrawSource>;
}

/**
 * The plan's templates for the runners. CSV columns and body files are read here and inlined
 * (the script travels in a ConfigMap); a header from `{ env: NAME }` stays a name, read by each
 * runner from a Secret. A header from `{ file: PATH }` would have to be inlined, so it is refused.
 */
export function k6Templates(plan: LoadPlan): { templates: K6Template[]; secretEnv: string[]; errors: string[] } {
  const errors: string[] = [];
  const secrets = plan.requests.map((t, i) => {
    const out: Record<string, SecretHeader> = {};
    for (const [name, source] of Object.entries(t.headers)) {
      if ("env" in source) out[name] = { env: source.env };
      else if ("file" in source)
        errors.push(
          `load.requests[${i}].headers.${name}.file: scale-out would have to write the secret into the runners' script; give { env: NAME } and pass --secret with a Secret holding NAME`,
        );
    }
    return out;
  });
  // Only plain headers go through the reader, so no secret is read into the script.
  const withoutSecrets: RequestTemplate[] = plan.requests.map((t) => ({
    ...t,
    headers: Object.fromEntries(Object.entries(t.headers).filter(([, source]) => "text" in source)),
  }));
  const resolved = resolveRequests(withoutSecrets, plan.params, {});
  errors.push(...resolved.errors);
  const templates = resolved.requests
    .map((r, i): K6Template => {
      // Secret headers keep their place among the template's own, before a JSON body's Content-Type.
      const own = Object.keys(plan.requests[i]!.headers);
      const headers: K6Template["headers"] = [
        ...own.flatMap((name): [string, Piece[] | SecretHeader][] => {
          const secret = secrets[i]![name];
          const plain = r.headers.find(([n]) => n === name);
          return secret ? [[name, secret]] : plain ? [plain] : [];
        }),
        ...r.headers.filter(([name]) => !own.includes(name)),
      ];
      return { name: r.name, method: r.method, weight: r.weight, path: r.path, headers, ...(r.body ? { body: r.body } : {}), params: r.params };
    })
    .filter((t) => t.weight > 0);
  const secretEnv = [...new Set(templates.flatMap((t) => t.headers.flatMap(([, h]) => ("env" in h ? [h.env] : []))))];
  return { templates, secretEnv, errors };
}
