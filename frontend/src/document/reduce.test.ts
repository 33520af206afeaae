import { expect, it } from "vitest";
import { applyOp, OpError } from "./reduce";
import type { ArchDocument, DocNode } from "./types";

const node = (id: string): DocNode => ({ id, type: "aws.sqs.queue", name: id, position: { x: 0, y: 0 } });
const doc: ArchDocument = { format: "cloudwright/v1", name: "d", nodes: [node("a"), node("b")], edges: [] };

it("inserts an added node at the index an undo of a delete carries, like the server", () => {
  expect(applyOp(doc, { type: "add_node", node: node("c"), index: 1 }).nodes.map((n) => n.id)).toEqual(["a", "c", "b"]);
  expect(applyOp(doc, { type: "add_node", node: node("c"), index: 99 }).nodes.map((n) => n.id)).toEqual(["a", "b", "c"]);
});

it("refuses an id already used by a node or an edge, and an edge to a missing node", () => {
  const withEdge = applyOp(doc, { type: "add_edge", edge: { id: "e", source: "a", target: "b" } });
  expect(() => applyOp(withEdge, { type: "add_node", node: node("e") })).toThrow(OpError);
  expect(() => applyOp(doc, { type: "add_edge", edge: { id: "f", source: "a", target: "gone" } })).toThrow(OpError);
});

it("sets and unsets document fields", () => {
  const out = applyOp({ ...doc, description: "old" }, { type: "set_document", set: { region: "eu-west-1" }, unset: ["description"] });
  expect(out.region).toBe("eu-west-1");
  expect("description" in out).toBe(false);
});
