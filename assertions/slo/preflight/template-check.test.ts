import { checkTemplates, templateFunctions } from "./template-check.js";
import type { RuleFile } from "../utils/rule-file.js";

function file(description: string): RuleFile {
  return { groups: [{ name: "g", rules: [{ alert: "Burn", expr: "x > 1", annotations: { description } }] }] };
}

describe("checkTemplates", () => {
  it("should name both of the article's div and mul", () => {
    const result = checkTemplates("article.yml", file("Error rate is {{ $value | mul 100 }}%, burning budget {{ div $value 0.01 }}x faster than allowed"));
    expect(result.status).toBe("fail");
    expect(result.detail).toContain('article.yml: groups[0].rules[0] (Burn).annotations.description: Prometheus templates have no "mul" or "div"');
  });

  it("should pass Prometheus' own functions and Go's builtins", () => {
    const result = checkTemplates(
      "ok.yml",
      file('{{ $value | humanizePercentage }} {{ printf "%.1f" (query "x * 100" | first | value) }} {{ if gt $value 1.0 }}high{{ end }}'),
    );
    expect(result.status).toBe("pass");
  });

  it("should not mistake words inside strings or variables for functions", () => {
    expect(templateFunctions('{{ query "mul div" | first | value }} {{ $labels.job }} {{ .Value }}')).toEqual(["query", "first", "value"]);
  });
});
