import { similarNames } from "./similar-names.js";

describe("similarNames", () => {
  it("should put the likeliest meaning of a typo first", () => {
    const names = ["django_http_responses_total_by_status_view_method_total", "django_http_requests_total_by_method_total", "up", "process_cpu_seconds_total"];
    expect(similarNames("django_http_response_total_by_status_view_method_total", names)[0]).toBe("django_http_responses_total_by_status_view_method_total");
    expect(similarNames("genomics-ap", ["genomics-api", "jaeger"])).toEqual(["genomics-api"]);
  });

  it("should offer nothing when nothing is close", () => {
    expect(similarNames("alertmanager", ["genomics-api", "jaeger"])).toEqual([]);
  });
});
