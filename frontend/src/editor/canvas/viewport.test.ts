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

it("measures the document in absolute coordinates, children inside their containers", () => {
  // fn sits at (1000, 550) and is 190 x 64, so it pokes out of the VPC on both axes.
  expect(documentBounds(doc)).toEqual({ x: 100, y: 100, width: 1090, height: 514 });
});

it("centres the whole document at a zoom that fits it with padding", () => {
  const v = fittingViewport(doc, 1308, 2000, 0.2);
  expect(v.zoom).toBeCloseTo(1308 / (1090 * 1.2));
  expect(v.x + (100 + 545) * v.zoom).toBeCloseTo(654);
});
