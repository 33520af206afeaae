import { describe, expect, it } from "vitest";
import { fileEntries, formatSize } from "./files";

describe("fileEntries", () => {
  it("lists binary files among the text files, by path, with their size", () => {
    const entries = fileEntries({
      target: "terraform",
      files: { "main.tf": "", "functions/orders/handler.py": "" },
      binary_files: { "functions/orders.zip": 2143 },
    });
    expect(entries).toEqual([
      { path: "functions/orders.zip", binarySize: 2143 },
      { path: "functions/orders/handler.py" },
      { path: "main.tf" },
    ]);
  });
});

describe("formatSize", () => {
  it.each([
    [0, "0 bytes"],
    [1023, "1023 bytes"],
    [1024, "1.0 KB"],
    [2143, "2.1 KB"],
    [5 * 1024 * 1024 + 1, "5.0 MB"],
  ])("%d -> %s", (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
