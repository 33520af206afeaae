import { describe, expect, it } from "vitest";
import { applyOp } from "../../document/reduce";
import type { ArchDocument, DocNode } from "../../document/types";
import { absoluteRects, freeSpot, INSET, keepInside, SERVICE_SIZE } from "./boxes";
import type { Rect } from "./geometry";

const isContainer = (n: DocNode) => n.type === "aws.ec2.vpc" || n.type === "aws.ec2.subnet";
const empty: ArchDocument = { format: "cloudwright/v1", name: "d", nodes: [], edges: [] };
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Add `count` services the way a palette click does, all with the view centred on `center`. */
function clickAdd(doc: ArchDocument, count: number, center = { x: 500, y: 300 }): ArchDocument {
  for (let i = 0; i < count; i++) {
    const position = freeSpot(doc, isContainer, SERVICE_SIZE, center);
    doc = applyOp(doc, { type: "add_node", node: { id: `fn${i}`, type: "aws.lambda.function", name: `fn${i}`, position } });
  }
  return doc;
}

describe("freeSpot", () => {
  it("puts the first node in the middle of the view", () => {
    expect(freeSpot(empty, isContainer, SERVICE_SIZE, { x: 500, y: 300 })).toEqual({ x: 405, y: 268 });
  });

  it("puts each clicked node where it covers no other, next to the middle", () => {
    const doc = clickAdd(empty, 5);
    const rects = [...absoluteRects(doc).values()];
    for (const [i, a] of rects.entries()) for (const b of rects.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    // The nearest free cells: the second node goes right below the first.
    expect(rects[1]).toMatchObject({ x: 405, y: 268 + SERVICE_SIZE.height + 24 });
  });

  it("goes inside a container's body or clear of it, never across its edge", () => {
    const vpc: DocNode = { id: "vpc", type: "aws.ec2.vpc", name: "VPC", position: { x: 300, y: 100 }, size: { width: 420, height: 300 } };
    const doc = clickAdd({ ...empty, nodes: [vpc] }, 8);
    const rects = absoluteRects(doc);
    const box = rects.get("vpc")!;
    for (let i = 0; i < 8; i++) {
      const r = rects.get(`fn${i}`)!;
      const inside = r.x >= box.x + INSET.left && r.y >= box.y + INSET.top && r.x + r.width <= box.x + box.width - INSET.right && r.y + r.height <= box.y + box.height - INSET.bottom;
      expect(inside || !overlap(r, box)).toBe(true);
    }
  });
});

describe("keepInside", () => {
  const doc: ArchDocument = {
    ...empty,
    nodes: [
      { id: "vpc", type: "aws.ec2.vpc", name: "VPC", position: { x: 0, y: 0 }, size: { width: 640, height: 420 } },
      { id: "sub", type: "aws.ec2.subnet", name: "Subnet", parent: "vpc", position: { x: 300, y: 150 } },
    ],
  };
  const put = (node: DocNode) => {
    const placed = applyOp(doc, { type: "add_node", node });
    return keepInside(placed, [node.id]).reduce(applyOp, placed);
  };
  const get = (d: ArchDocument, id: string) => d.nodes.find((n) => n.id === id)!;

  it("grows the container, and the one around it, to hold a child dropped near the edge", () => {
    // A service at (200, 180) in the 300 x 220 subnet ends at x 390, y 244.
    const after = put({ id: "fn", type: "aws.lambda.function", name: "fn", parent: "sub", position: { x: 200, y: 180 } });
    expect(get(after, "fn").position).toEqual({ x: 200, y: 180 });
    expect(get(after, "sub").size).toEqual({ width: 406, height: 260 });
    expect(get(after, "vpc").size).toEqual({ width: 722, height: 426 });
  });

  it("moves a child off the container's left edge and header instead of growing that way", () => {
    const after = put({ id: "sub2", type: "aws.ec2.subnet", name: "Subnet 2", parent: "vpc", position: { x: -30, y: 10 } });
    expect(get(after, "sub2").position).toEqual({ x: INSET.left, y: INSET.top });
    expect(get(after, "vpc").size).toEqual({ width: 640, height: 420 });
  });

  it("leaves alone a child that fits, one on the open canvas, and one pasted inside its pasted container", () => {
    const fits = applyOp(doc, { type: "add_node", node: { id: "fn", type: "aws.lambda.function", name: "fn", parent: "vpc", position: { x: 40, y: 60 } } });
    expect(keepInside(fits, ["fn"])).toEqual([]);
    const loose = applyOp(doc, { type: "add_node", node: { id: "fn", type: "aws.lambda.function", name: "fn", position: { x: -900, y: -900 } } });
    expect(keepInside(loose, ["fn"])).toEqual([]);
    const far = applyOp(doc, { type: "add_node", node: { id: "fn", type: "aws.lambda.function", name: "fn", parent: "sub", position: { x: 900, y: 900 } } });
    expect(keepInside(far, ["sub", "fn"])).toEqual([]);
  });
});
