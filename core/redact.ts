/** What a secret is replaced with wherever the harness writes or prints. */
export const REDACTED = "***";

/** Option and field names that hold secrets, whatever their value looks like. */
const SECRET_KEY = /(pass(word|wd)?|secret|token|api[-_]?key|apikey|authorization|cookie|credential|private[-_]?key|client[-_]?key|session)$/i;

const RULES: [RegExp, string][] = [
  // scheme://user:password@host: the password goes, the user (often "postgres") stays readable.
  // Greedy to the last @ before the host, so a password with an @ in it goes whole.
  [/([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*):[^\s/'"]*@/gi, `$1:${REDACTED}@`],
  // libpq keyword form and URL query parameters: password=..., sslpassword=..., token=...
  [/\b((?:ssl)?password|passwd|pwd|token|access_token|api[-_]?key|apikey|secret|client_secret)=([^\s&;'"]+)/gi, `$1=${REDACTED}`],
  // HTTP headers as logged or echoed back: Authorization, Cookie, X-...-Token.
  [/\b(authorization|proxy-authorization|cookie|set-cookie|x-[a-z-]*(?:token|key|secret))("?\s*[:=]\s*)("?)(?:[^"\r\n,}]*)\3/gi, `$1$2$3${REDACTED}$3`],
  [/\bBearer\s+[A-Za-z0-9._~+/-]+=*/g, `Bearer ${REDACTED}`],
  [/\bBasic\s+[A-Za-z0-9+/]{8,}=*/g, `Basic ${REDACTED}`],
];

/**
 * Values this process was handed under a secret's name (`--var db_password=…`): no pattern can
 * spot them, so they are replaced wherever they appear, longest first so none is half-hidden.
 */
const knownSecrets: string[] = [];

export function redactValue(value: string): void {
  if (value === "" || knownSecrets.includes(value)) return;
  knownSecrets.push(value);
  knownSecrets.sort((a, b) => b.length - a.length);
}

/** Whether a field of this name holds a secret, whatever its value looks like. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A string with every credential the harness knows how to spot replaced by ***. */
export function redact(text: string): string {
  const patterned = RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
  return knownSecrets.reduce((out, secret) => out.split(secret).join(REDACTED), patterned);
}

/**
 * A copy of a value (a report, options, an error's data) with every secret-named field blanked and
 * every string passed through redact(): one redaction for report.json, HTML, JUnit, logs, dry-run.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        isSecretKey(k) && v !== undefined && v !== null && typeof v !== "object" ? REDACTED : redactDeep(v),
      ]),
    ) as T;
  }
  return value;
}
