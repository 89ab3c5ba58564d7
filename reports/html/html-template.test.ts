import { html, trusted } from "./html-template.js";

describe("html", () => {
  it("should escape interpolated text", () => {
    expect(html`<p title="${'"x"'}">${"<b>"}</p>`.value).toBe('<p title="&quot;x&quot;">&lt;b&gt;</p>');
  });

  it("should keep nested templates and arrays of them as markup", () => {
    const items = ["a<", "b"].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe("<ul><li>a&lt;</li><li>b</li></ul>");
  });

  it("should print nothing for undefined, null and false, and keep zero", () => {
    expect(html`${undefined}${null}${false}${0}`.value).toBe("0");
  });

  it("should pass trusted markup through", () => {
    expect(html`${trusted("<br>")}`.value).toBe("<br>");
  });
});
