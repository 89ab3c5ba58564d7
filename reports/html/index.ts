export { renderHtmlReport, GENERATED_HEADER, type HtmlReportOptions } from "./html-report.js";
export { buildChartPayload, DEFAULT_BUCKETS, type ChartPayload, type ChartPanel, type ChartSeries } from "./chart-data.js";
export { classifySeries, type PanelId, type SeriesKind } from "./series-kind.js";
