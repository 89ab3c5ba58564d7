export { k6Script, k6Thresholds, SUMMARY_MARKER, MAX_SCRIPT_BYTES, type K6ScriptOptions, type K6ScriptResult } from "./k6-script.js";
export { K6OperatorTestRun, TESTRUN, combine, testRunBody, type TestRunSpec, type TestRunResults } from "./test-run.js";
