export type CheckStatus = "pass" | "fail" | "warn" | "skip";

/** One preflight finding: what was checked, how it went, and the evidence or the fix. */
export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
}

export const pass = (check: string, detail: string): CheckResult => ({ check, status: "pass", detail });
export const fail = (check: string, detail: string): CheckResult => ({ check, status: "fail", detail });
export const warn = (check: string, detail: string): CheckResult => ({ check, status: "warn", detail });
export const skip = (check: string, detail: string): CheckResult => ({ check, status: "skip", detail });
