import type { z } from "zod";
import type { Capability, Endpoints } from "../core/environment.js";
import type { ExpectationKind } from "../core/experiment-model.js";
import type { Probe, Signal } from "./probe.js";

export interface ProbeBuild {
  endpoints: Endpoints;
  kind: ExpectationKind;
}

/**
 * A kind of probe as the registry knows it: its key in an expectation (`metric:`), its part of
 * the file format, what it says in `list`, which expectation kinds it can judge, what it needs
 * from the environment, and how to build one. A new probe kind is its file and one registry line.
 */
export interface ProbeKind<S = unknown> {
  readonly key: string;
  readonly signal: Signal;
  readonly summary: string;
  readonly spec: z.ZodType<S>;
  readonly kinds: readonly ExpectationKind[];
  /** Usable in a steady-state check object. */
  readonly steadyState?: boolean;
  /** Capabilities the environment must have (e.g. "kubernetes" for events). */
  readonly requires?: readonly Capability[];
  build(spec: S, ctx: ProbeBuild): Probe;
}

/** Keeps a kind's spec and build in step when it is declared. */
export function probeKind<S>(kind: ProbeKind<S>): ProbeKind<S> {
  return kind;
}
