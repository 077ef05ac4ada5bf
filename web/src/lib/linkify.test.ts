import { describe, expect, it } from "vitest";
import { linkify, type TextPart } from "./linkify";

const links = (text: string) =>
  linkify(text)
    .filter((part): part is Extract<TextPart, { kind: "link" }> => part.kind === "link")
    .map(({ text: shown, href }) => [shown, href]);

describe("linkify", () => {
  it("splits text around http, https and bare www. addresses, keeping every character", () => {
    const text = "See https://example.com/help?a=1&b=2 or http://status.example.org, and www.example.net/faq.";
    expect(linkify(text)).toEqual([
      { kind: "text", text: "See " },
      { kind: "link", text: "https://example.com/help?a=1&b=2", href: "https://example.com/help?a=1&b=2" },
      { kind: "text", text: " or " },
      { kind: "link", text: "http://status.example.org", href: "http://status.example.org/" },
      { kind: "text", text: ", and " },
      { kind: "link", text: "www.example.net/faq", href: "https://www.example.net/faq" },
      { kind: "text", text: "." },
    ]);
  });

  it("leaves sentence punctuation out but keeps brackets the address opened", () => {
    expect(links("(see https://en.wikipedia.org/wiki/Mercury_(planet)).")).toEqual([
      ["https://en.wikipedia.org/wiki/Mercury_(planet)", "https://en.wikipedia.org/wiki/Mercury_(planet)"],
    ]);
    expect(links("Is it https://example.com/a?! Or “https://example.com/b”?")).toEqual([
      ["https://example.com/a", "https://example.com/a"],
      ["https://example.com/b", "https://example.com/b"],
    ]);
    expect(links("رابط الدفع: https://pay.example.com/ar، شكرا")).toEqual([
      ["https://pay.example.com/ar", "https://pay.example.com/ar"],
    ]);
  });

  it("never links another scheme, an address inside HTML or a word, or one with credentials", () => {
    for (const text of [
      "javascript:alert(document.cookie)",
      "JavaScript://www.example.com/%0Aalert(1)",
      'data:text/html,<script>alert(1)</script>',
      '<a href="https://evil.example/">click</a>',
      "<a href=http://evil.example>click</a>",
      "<a href='www.evil.example'>click</a>",
      "mailto:someone@www.example.com",
      "xhttps://example.com and ftp://example.com",
      "https://user:secret@example.com/",
      "just www. and https:// alone",
    ]) {
      expect(links(text), text).toEqual([]);
      expect(linkify(text).map((part) => part.text).join(""), text).toBe(text);
    }
  });

  it("gives plain text back as one part, and nothing for nothing", () => {
    expect(linkify("No links here.")).toEqual([{ kind: "text", text: "No links here." }]);
    expect(linkify("")).toEqual([]);
  });
});
