import { describe, expect, it } from "vitest";
import { Catalog } from "../catalog/catalog";
import type { CatalogJson } from "../catalog/types";
import type { ArchDocument } from "../document/types";
import { applyOp } from "../document/reduce";
import { connectOp, copySelection, deleteOp, pasteOp } from "./commands";

const type = (name: string, title: string, access: string[] = []) => ({
  type: name, title, category: "compute", icon: "lambda", description: "", container: false,
  placement: { parents: [], required: false, spread: false, public_subnet: false },
  props_schema: { type: "object", properties: {} }, usage_schema: { type: "object", properties: {} },
  access_levels: access,
});
const catalog = new Catalog({
  format: "cloudwright/v1",
  types: [type("fn", "Lambda function"), type("table", "DynamoDB table", ["read", "write", "read_write"]), type("api", "API Gateway REST API")],
  edges: [
    { kind: "data_access", sources: ["fn"], targets: ["table"], access: true, generates: "" },
    { kind: "api_integration", sources: ["api"], targets: ["fn"], access: false, generates: "" },
  ],
} as CatalogJson);

const doc: ArchDocument = {
  format: "cloudwright/v1", name: "t",
  nodes: [
    { id: "f", type: "fn", name: "F", position: { x: 0, y: 0 } },
    { id: "t", type: "table", name: "T", position: { x: 0, y: 0 } },
    { id: "a", type: "api", name: "A", position: { x: 0, y: 0 } },
  ],
  edges: [],
};

describe("connectOp", () => {
  it("adds a data edge with the default access", () => {
    const op = connectOp(doc, catalog, doc.nodes[0], doc.nodes[1]);
    expect(op).toMatchObject({ type: "add_edge", edge: { source: "f", target: "t", access: "read_write" } });
  });

  it("refuses a pair the catalog does not allow, naming what the source accepts", () => {
    expect(connectOp(doc, catalog, doc.nodes[1], doc.nodes[2])).toBe(
      "DynamoDB table cannot connect to API Gateway REST API. It does not start any connection; connect other components to it instead.",
    );
    expect(connectOp(doc, catalog, doc.nodes[2], doc.nodes[1])).toBe(
      "API Gateway REST API cannot connect to DynamoDB table. It accepts: Lambda function.",
    );
  });
});

describe("copy, paste and delete", () => {
  it("pastes fresh ids with the edges between copied nodes", () => {
    const withEdge = applyOp(doc, { type: "add_edge", edge: { id: "e1", source: "f", target: "t" } });
    const { op, ids } = pasteOp(withEdge, copySelection(withEdge, ["f", "t"])!);
    const after = applyOp(withEdge, op);
    expect(after.nodes).toHaveLength(5);
    expect(ids.every((id) => !["f", "t"].includes(id))).toBe(true);
    expect(after.edges.filter((e) => ids.includes(e.source) && ids.includes(e.target))).toHaveLength(1);
  });

  it("deletes nodes with their edges in one op", () => {
    const withEdge = applyOp(doc, { type: "add_edge", edge: { id: "e1", source: "f", target: "t" } });
    const after = applyOp(withEdge, deleteOp(withEdge, ["f"], ["e1"])!);
    expect(after.nodes.map((n) => n.id)).toEqual(["t", "a"]);
    expect(after.edges).toHaveLength(0);
  });
});
