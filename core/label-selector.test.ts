import { isLabelSelector } from "./label-selector.js";

describe("isLabelSelector", () => {
  it.each([
    "app=genomics-api",
    "app==api,tier!=db",
    "app.kubernetes.io/name=api",
    "env in (prod, staging)",
    "env notin (dev)",
    "!canary",
    "app",
    "app=",
    "a=b, c in (d,e), !f",
  ])("should accept %s", (s) => expect(isLabelSelector(s)).toBe(true));
  it.each(["app=genomics api", "app=(x", "app in prod", "=api", "app=api,,", "app===api", "app in ((a))", "-app=x", "app=x)"])("should refuse %s", (s) =>
    expect(isLabelSelector(s)).toBe(false),
  );
});
