/**
 * The one job of a stack's prometheus.yml that is not the stack's own scrapes the target, renamed
 * after it (a stack with none gets one); two such jobs are one too many.
 */
export function targetJobProblem(jobs: readonly string[], ownJobs: readonly string[]): string | undefined {
  const others = jobs.filter((j) => !ownJobs.includes(j));
  return others.length > 1
    ? `scrape jobs ${others.map((j) => `"${j}"`).join(", ")} are not the stack's own (${ownJobs.join(", ")}); only one job may scrape the target, and it is renamed after it`
    : undefined;
}
