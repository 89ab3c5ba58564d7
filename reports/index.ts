export { renderHtmlReport, buildChartPayload, classifySeries, GENERATED_HEADER, type HtmlReportOptions, type ChartPayload } from "./html/index.js";
export { renderJunit } from "./junit-report.js";
export { writeReports, REPORT_FILES, type ReportFormat } from "./write-reports.js";
export { readReportFile, parseReport } from "./read-report.js";
export { summarizeReport } from "./summary.js";
export { compareReports, DEFAULT_THRESHOLDS, type CompareThresholds, type ReportComparison, type Change } from "./compare-reports.js";
export { formatComparison } from "./compare-format.js";
export { renderIndex, renderIndexHtml, INDEX_FILE } from "./run-index.js";
export { findReports, type FoundReport } from "./find-reports.js";
