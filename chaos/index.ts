export type { FaultContext, FaultHandle, Injector } from "./injector.js";
export { FaultJournal, type JournalRecord, type UndoAction } from "./fault-journal.js";
export type { FaultPlan } from "./utils/fault-handle.js";
export { getInjector, listInjectors } from "./injector-registry.js";
export { recoverOutstandingFaults, type RecoveredFault } from "./journal-recovery.js";
export { BlastRadiusError, guardBlastRadius } from "./blast-radius.js";
export { PoolExhaustionInjector, PoolExhaustionParams } from "./pool-exhaustion-injector.js";
export { ProcessInjector, ProcessParams, LOCAL_COMPONENTS } from "./process-injector.js";
export { NetworkInjector, NetworkParams } from "./network-injector.js";
