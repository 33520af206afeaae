import { expect, it } from "vitest";
import { snapshotNotice } from "./protocol";

const bo = { id: 4, username: "bo" };

it.each([
  ["restore", false, "bo restored a saved version."],
  ["fix", true, "You applied a security fix."],
  ["replace", false, "bo replaced the whole architecture (an import or an API change)."],
] as const)("a %s snapshot tells who replaced the document", (kind, isMe, text) => {
  expect(snapshotNotice(kind, bo, isMe)).toBe(text);
});

it("stays quiet on connect and rename", () => {
  expect(snapshotNotice("connect", null, false)).toBeNull();
  expect(snapshotNotice("rename", bo, false)).toBeNull();
});
