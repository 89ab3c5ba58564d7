export { k6Refusal, k6Script, k6Thresholds, SUMMARY_MARKER, type K6ScriptOptions } from "./k6-script.js";
export { K6OperatorTestRun, TESTRUN, combine, type TestRunSpec, type TestRunResults } from "./test-run.js";
