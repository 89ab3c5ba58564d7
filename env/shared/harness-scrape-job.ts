import { HARNESS_SCRAPE_JOB } from "../../core/environment.js";

/** The job a stack's Prometheus scrapes the harness's own metrics (slo_harness_fault_active and the rest) with, at host:port. */
export function harnessScrapeJob(address: string): { job_name: string; static_configs: { targets: string[] }[] } {
  return { job_name: HARNESS_SCRAPE_JOB, static_configs: [{ targets: [address] }] };
}
