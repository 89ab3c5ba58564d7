import { classifySeries } from "./series-kind.js";

describe("classifySeries", () => {
  it("should put error ratios on the error chart in percent", () => {
    expect(classifySeries("job:genomics_api_error_ratio:rate1m")).toEqual({ panel: "errors", scale: 100 });
    expect(classifySeries("slo:sli_error:ratio_rate5m")).toEqual({ panel: "errors", scale: 100 });
  });

  it("should put latencies in seconds on the latency chart in milliseconds", () => {
    expect(classifySeries("job:genomics_api_p99_latency_seconds")).toEqual({ panel: "latency", scale: 1000 });
    expect(classifySeries("api_latency_milliseconds")).toEqual({ panel: "latency", scale: 1 });
  });

  it("should put request rates on the load chart", () => {
    expect(classifySeries('job:genomics_api_requests:rate1m{instance="a"}')).toEqual({ panel: "load", scale: 1 });
  });

  it("should put burn rates on the burn-rate chart", () => {
    expect(classifySeries("slo:error_budget_burn_rate:ratio_rate1h")).toEqual({ panel: "burn", scale: 1 });
  });

  it("should classify by the metric name, not by label values", () => {
    expect(classifySeries('process_open_fds{note="error ratio latency"}')).toEqual({ panel: "other", scale: 1 });
  });
});
