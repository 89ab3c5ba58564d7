/**
 * The one rule for what an experiment's allowlist admits, applied when the file is loaded and
 * again by every injector before it touches anything: an entry is an exact name or a glob with
 * `*`, e.g. "checkout-*".
 */
export function matchesEntry(name: string, entry: string): boolean {
  if (!entry.includes("*")) return name === entry;
  const pattern = entry
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(name);
}

export function isAllowed(name: string, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) => matchesEntry(name, entry));
}
