import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES, checkFile } from "./validate-file";

function fileOf(name: string, size: number, type = ""): File {
  const file = new File(["x"], name, { type });
  Object.defineProperty(file, "size", { value: size });
  return file;
}

describe("checkFile", () => {
  it.each([
    ["photo.PNG", "image/png"],
    ["scan.jpeg", "image/jpeg"],
    ["anim.gif", "image/gif"],
    ["pic.webp", "image/webp"],
    ["invoice.pdf", "application/pdf"],
    ["notes.txt", "text/plain"],
    ["export.csv", "application/vnd.ms-excel"],
    ["letter.docx", ""],
    ["sheet.xlsx", ""],
    ["slides.pptx", ""],
    ["doc.odt", ""],
    ["calc.ods", ""],
    ["show.odp", ""],
  ])("accepts %s", (name, type) => {
    expect(checkFile(fileOf(name, 1000, type))).toBeNull();
  });

  it.each(["setup.exe", "page.html", "image.svg", "script.js", "archive.zip"])("refuses %s", (name) => {
    expect(checkFile(fileOf(name, 1000))).toBe("This type of file is not allowed.");
  });

  it("refuses files over 10 MB, and empty files", () => {
    expect(checkFile(fileOf("big.pdf", MAX_FILE_BYTES))).toBeNull();
    expect(checkFile(fileOf("big.pdf", MAX_FILE_BYTES + 1))).toBe("The file is larger than the 10 MB limit.");
    expect(checkFile(fileOf("empty.txt", 0))).toBe("The file is empty.");
  });

  it("goes by the browser's type when the name has no extension", () => {
    expect(checkFile(fileOf("clipboard", 10, "image/png"))).toBeNull();
    expect(checkFile(fileOf("mystery", 10, "application/x-msdownload"))).toBe("This type of file is not allowed.");
  });
});
