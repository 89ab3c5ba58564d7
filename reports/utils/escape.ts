/**
 * Everything a report shows from a run is untrusted: log lines, labels, span attributes and queries
 * come from the system under test. These helpers are the only way text reaches HTML or XML.
 */

// C0 controls (bar tab, newline, return) are illegal in XML 1.0 and ANSI colour codes in log lines
// are full of them; a visible replacement keeps the line readable and the document well-formed.
// Lone surrogates (a truncated emoji in a log line) are illegal in XML too.
const ILLEGAL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text with the characters above made visible; for text that reaches the page outside HTML (chart labels). */
export function printable(text: string): string {
  return text.replace(ILLEGAL_CHARS, "\uFFFD");
}

/** Text for an HTML element body or a quoted attribute value. */
export function escapeHtml(text: unknown): string {
  return printable(String(text ?? "")).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Text for an XML element or attribute; newlines in attributes survive as character references. */
export function escapeXml(text: unknown, { attribute = false } = {}): string {
  const escaped = escapeHtml(text);
  return attribute ? escaped.replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;") : escaped;
}

/**
 * JSON for a `<script type="application/json">` block. Escaping `<` means no value can close the
 * tag or open a comment; U+2028/2029 are escaped for parsers that still treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A URL safe to put in href: http(s) only, so evidence cannot smuggle in `javascript:` links. */
export function safeHttpUrl(candidate: string | undefined): string | undefined {
  if (!candidate) return undefined;
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Long evidence (a stack trace, a multi-kilobyte log line) is cut for display; report.json keeps it whole. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters in report.json)`;
}
