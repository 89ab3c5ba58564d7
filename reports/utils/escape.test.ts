import { escapeHtml, escapeXml, jsonForScript, safeHttpUrl, truncate } from "./escape.js";

describe("escapeHtml", () => {
  it("should turn markup and both quote kinds into entities", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
  });

  it("should replace control characters such as ANSI escapes", () => {
    expect(escapeHtml("\u001b[31mERROR\u001b[0m")).toBe("\uFFFD[31mERROR\uFFFD[0m");
  });

  it("should keep tabs, newlines and paired surrogates but replace a lone surrogate", () => {
    expect(escapeHtml("a\tb\nc 😀")).toBe("a\tb\nc 😀");
    expect(escapeHtml("cut \uD83D")).toBe("cut \uFFFD");
  });

  it("should render undefined and null as empty text", () => {
    expect(escapeHtml(undefined)).toBe("");
    expect(escapeHtml(null)).toBe("");
  });
});

describe("escapeXml", () => {
  it("should keep newlines in attributes as character references", () => {
    expect(escapeXml("a\nb", { attribute: true })).toBe("a&#10;b");
    expect(escapeXml("a\nb")).toBe("a\nb");
  });
});

describe("jsonForScript", () => {
  it("should not let any value close the script tag", () => {
    const text = jsonForScript({ line: "</script><script>alert(1)</script><!--" });
    expect(text).not.toMatch(/[<>]/);
    expect(JSON.parse(text)).toEqual({ line: "</script><script>alert(1)</script><!--" });
  });

  it("should escape the line separators JavaScript once treated as newlines", () => {
    expect(jsonForScript("a\u2028b")).toBe('"a\\u2028b"');
  });
});

describe("safeHttpUrl", () => {
  it("should accept http and https links", () => {
    expect(safeHttpUrl("http://127.0.0.1:16686/trace/abc")).toBe("http://127.0.0.1:16686/trace/abc");
  });

  it("should refuse javascript:, data: and malformed links", () => {
    expect(safeHttpUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeHttpUrl("data:text/html,<script>alert(1)</script>")).toBeUndefined();
    expect(safeHttpUrl("not a url")).toBeUndefined();
  });
});

describe("truncate", () => {
  it("should cut long text and say how much was cut", () => {
    expect(truncate("abcdef", 3)).toBe("abc… (3 more characters in report.json)");
    expect(truncate("abc", 3)).toBe("abc");
  });
});
