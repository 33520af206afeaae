import { expect, it } from "vitest";
import type { ArchDocument } from "../../document/types";
import { documentBounds, fittingViewport } from "./viewport";

const doc: ArchDocument = {
  format: "cloudwright/v1", name: "d", edges: [],
  nodes: [
    { id: "vpc", type: "aws.ec2.vpc", name: "vpc", position: { x: 100, y: 100 }, size: { width: 1000, height: 500 } },
    { id: "fn", type: "aws.lambda.function", name: "fn", parent: "vpc", position: { x: 900, y: 450 } },
  ],
};

/** Where the document's box lands on a screen of `width` x `height` at `v`. */
function onScreen(d: ArchDocument, v: { x: number; y: number; zoom: number }) {
  const b = documentBounds(d)!;
  return { left: b.x * v.zoom + v.x, top: b.y * v.zoom + v.y, right: (b.x + b.width) * v.zoom + v.x, bottom: (b.y + b.height) * v.zoom + v.y };
}

it("measures the document in absolute coordinates, children inside their containers", () => {
  // fn sits at (1000, 550) and is 190 x 64, so it pokes out of the VPC on both axes.
  expect(documentBounds(doc)).toEqual({ x: 100, y: 100, width: 1090, height: 514 });
});

it("fits a large document centred across, clear of the minimap and controls below", () => {
  const v = fittingViewport(doc, 800, 700);
  const box = onScreen(doc, v);
  expect(v.zoom).toBeCloseTo((800 - 96) / 1090);
  expect(Math.abs((box.left + box.right) / 2 - 400)).toBeLessThanOrEqual(1); // paddings are whole pixels
  expect(box.top).toBeGreaterThanOrEqual(47);
  // The minimap is 150 px tall, 15 px from the bottom.
  expect(box.bottom).toBeLessThanOrEqual(700 - 165);
});

it("never zooms a small diagram past 1:1, and keeps it off the minimap", () => {
  const three: ArchDocument = {
    ...doc,
    nodes: ["a", "b", "c"].map((id, i) => ({ id, type: "aws.lambda.function", name: id, position: { x: 40 + i * 260, y: 40 } })),
  };
  const v = fittingViewport(three, 1000, 850);
  expect(v.zoom).toBe(1);
  expect(onScreen(three, v).bottom).toBeLessThanOrEqual(850 - 165);
});
