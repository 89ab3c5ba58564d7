import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

/**
 * Where a secret comes from: an environment variable or a file, never the experiment itself, so a
 * committed experiment holds no credential and a report that echoes its options leaks none.
 */
export const SecretRef = z.string().regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, {
  error: 'expected where the secret is, "env:NAME" or "file:/path/to/secret", never the secret itself',
});

const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: "expected an HTTP header name like X-Scope-OrgID" });
/** Headers that carry credentials: their values must come from a SecretRef. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$/i;

/** How the harness authenticates to one backend (Prometheus, Alertmanager, Jaeger, the log store). */
export const BackendAuthSpec = z
  .strictObject({
    /** `Authorization: Bearer <token>`. */
    bearerToken: SecretRef.optional(),
    basic: z.strictObject({ username: z.string().min(1), password: SecretRef }).optional(),
    /** Extra headers, e.g. a tenant: X-Scope-OrgID, AccountID. Credential headers take "env:" or "file:" values. */
    headers: z.record(HeaderName, z.string()).optional(),
    /** PEM bundle of the CA that signed the backend's certificate, for a private CA. */
    ca: z.string().min(1).optional(),
    /** Client certificate and key (PEM files) for mutual TLS. */
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    /** Skip verifying the backend's certificate. Only when asked: a man in the middle then sees every credential. */
    insecureSkipVerify: z.boolean().optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.bearerToken && spec.basic) ctx.addIssue({ code: "custom", message: "give bearerToken or basic, not both: both set Authorization" });
    if (Boolean(spec.cert) !== Boolean(spec.key)) ctx.addIssue({ code: "custom", message: "a client certificate needs both cert and key (PEM files)" });
    for (const [name, value] of Object.entries(spec.headers ?? {})) {
      if (SECRET_HEADER.test(name) && !SecretRef.safeParse(value).success) {
        ctx.addIssue({ code: "custom", path: ["headers", name], message: `${name} carries a credential: give where it is, "env:NAME" or "file:/path"` });
      }
    }
  });
export type BackendAuthSpec = z.output<typeof BackendAuthSpec>;

/** The backends the harness queries, each of which may sit behind its own auth. */
export const AUTH_BACKENDS = ["prometheus", "alertmanager", "jaeger", "logs"] as const;
export type AuthBackend = (typeof AUTH_BACKENDS)[number];

/** What a client needs to reach one backend, with secrets already read; lives in memory only, never in a report. */
export interface BackendAccess {
  headers: Record<string, string>;
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
}

/** Reads a SecretRef; errors name the field and the variable or file, never a value. */
export function readSecret(ref: string, field: string, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.startsWith("env:")) {
    const name = ref.slice(4);
    const value = env[name];
    if (!value) throw new Error(`${field}: the environment variable ${name} is not set (or empty); export it before the run`);
    return value;
  }
  const file = ref.slice(5);
  if (!existsSync(file)) throw new Error(`${field}: the file ${file} does not exist`);
  const value = readFileSync(file, "utf8").trim();
  if (!value) throw new Error(`${field}: the file ${file} is empty`);
  return value;
}

function readPem(file: string, field: string): string {
  if (!existsSync(file)) throw new Error(`${field}: the file ${file} does not exist; expected a PEM file`);
  const pem = readFileSync(file, "utf8");
  if (!pem.includes("-----BEGIN ")) throw new Error(`${field}: ${file} is not a PEM file (no -----BEGIN line)`);
  return pem;
}

/** Turns a backend's auth spec into what its client sends, reading each secret once, at start. */
export function resolveBackendAccess(spec: BackendAuthSpec, field: string, env: NodeJS.ProcessEnv = process.env): BackendAccess {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    headers[name] = SecretRef.safeParse(value).success ? readSecret(value, `${field}.headers.${name}`, env) : value;
  }
  if (spec.bearerToken) headers.Authorization = `Bearer ${readSecret(spec.bearerToken, `${field}.bearerToken`, env)}`;
  if (spec.basic) {
    const password = readSecret(spec.basic.password, `${field}.basic.password`, env);
    headers.Authorization = `Basic ${Buffer.from(`${spec.basic.username}:${password}`).toString("base64")}`;
  }
  return {
    headers,
    ...(spec.ca ? { ca: readPem(spec.ca, `${field}.ca`) } : {}),
    ...(spec.cert ? { cert: readPem(spec.cert, `${field}.cert`) } : {}),
    ...(spec.key ? { key: readPem(spec.key, `${field}.key`) } : {}),
    rejectUnauthorized: !spec.insecureSkipVerify,
  };
}
