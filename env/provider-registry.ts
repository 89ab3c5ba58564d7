import type { ProviderKind } from "./provider-kind.js";
import { existingProvider } from "./existing/existing-provider.js";
import { kindProvider } from "./kind/kind-provider.js";
import { localProvider } from "./local/local-provider.js";
import { testcontainersProvider } from "./testcontainers/testcontainers-provider.js";

/** Every provider; the experiment spec, `validate`, `--dry-run`, `list` and the runner all read this. */
// Each provider is typed by its own options; the registry only hands them back to the provider that parsed them.
export const PROVIDERS = [localProvider, testcontainersProvider, kindProvider, existingProvider] as unknown as readonly ProviderKind<unknown>[];

export const PROVIDER_NAMES = PROVIDERS.map((p) => p.name) as [string, ...string[]];

export function providerFor(name: string): ProviderKind<unknown> | undefined {
  return PROVIDERS.find((p) => p.name === name);
}
