// A harness run cut short: injects the faults it is given from the compiled chaos/ (dist/), prints
// READY and waits to be killed. journal-recovery.test.ts SIGKILLs it mid-fault.
import { FaultJournal, getInjector } from "../dist/chaos/index.js";
import { Timeline } from "../dist/core/timeline.js";
import { localProcessControl } from "../dist/env/local/component-control.js";

const { endpoints, journalFile, faults } = JSON.parse(process.argv[2]);
const environment = {
  provider: "local",
  capabilities: ["processes", "postgres", "toxiproxy"],
  processes: localProcessControl(endpoints.runDir),
  getEndpoints: () => endpoints,
  getComponents: () => [],
  applyRules: async () => undefined,
  stop: async () => undefined,
};
const journal = new FaultJournal(journalFile);
const timeline = new Timeline();
const verified = {};
for (const fault of faults) {
  const handle = await getInjector(fault.injector).inject({
    ...fault,
    allowlist: [fault.target],
    maxDurationMs: 600_000,
    endpoints,
    environment,
    journal,
    timeline,
    dryRun: false,
  });
  verified[fault.faultId] = handle.effectVerified;
}
console.log(`READY ${JSON.stringify(verified)}`);
// Held sessions and the pending restart keep this process alive until it is killed; the bound
// only makes sure it never lingers.
setTimeout(() => process.exit(1), 600_000);
