import { logqlToLogsql } from "./logql-to-logsql.js";
import { isPermanentError } from "./utils/errors.js";

describe("logqlToLogsql", () => {
  it("should map the article's query: stream label to the OTLP field, |= to a substring regexp", () => {
    expect(logqlToLogsql('{service_name="genomics-api"} |= "too many clients"')).toBe('service.name:="genomics-api" _msg:~"too many clients"');
  });

  it("should anchor label regexes and negate with -", () => {
    expect(logqlToLogsql('{service_name=~"genomics.*", k8s_pod_name!="x", env!~"dev|qa"}')).toBe(
      'service.name:~"^(?:genomics.*)$" -k8s.pod.name:="x" -env:~"^(?:dev|qa)$"',
    );
  });

  it("should escape line-filter text and pass regex filters through", () => {
    expect(logqlToLogsql('{a="b"} != "x.y" |~ `P0+2` !~ "a\\\\d"')).toBe('a:="b" -_msg:~"x\\\\.y" _msg:~"P0+2" -_msg:~"a\\\\d"');
  });

  it("should refuse what it cannot translate, as a permanent query error", () => {
    const attempt = () => logqlToLogsql('{a="b"} | json | level="error"');
    expect(attempt).toThrow(/"\| json \| level="error"" has no automatic LogsQL translation/);
    try {
      attempt();
    } catch (err) {
      expect(isPermanentError(err)).toBe(true);
    }
    expect(() => logqlToLogsql('rate({a="b"}[1m])')).toThrow(/expected a stream selector/);
  });
});
