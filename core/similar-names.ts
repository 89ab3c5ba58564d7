import { distance } from "fastest-levenshtein";

/**
 * Names close to `name`, closest first: what a typo most likely meant. A candidate counts when its
 * edit distance is within a third of the longer name, or when one contains the other.
 */
export function similarNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored: { candidate: string; d: number }[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === name) continue;
    const d = distance(name, candidate);
    const contains = candidate.includes(name) || name.includes(candidate);
    if (d <= Math.max(2, Math.ceil(Math.max(name.length, candidate.length) / 3)) || contains) scored.push({ candidate, d: contains ? Math.min(d, 1) : d });
  }
  return scored
    .sort((a, b) => a.d - b.d || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((s) => s.candidate);
}
