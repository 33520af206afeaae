import { describe, expect, it } from "vitest";
import { Catalog } from "../catalog/catalog";
import type { CatalogJson } from "../catalog/types";
import type { ArchDocument } from "../document/types";
import { applyOp } from "../document/reduce";
import { freeBlock } from "./cidr";
import { addNodeOp, connectOp, copySelection, deleteOp, pasteOp } from "./commands";

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
    const { op, ids } = pasteOp(withEdge, catalog, copySelection(withEdge, ["f", "t"])!);
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

describe("subnets", () => {
  const container = (name: string, title: string, cidr: string) => ({
    ...type(name, title),
    container: true,
    props_schema: { type: "object", properties: { cidr_block: { type: "string", default: cidr } } },
  });
  const net = new Catalog({
    format: "cloudwright/v1",
    types: [container("aws.ec2.vpc", "VPC", "10.0.0.0/16"), container("aws.ec2.subnet", "Subnet", "10.0.0.0/24")],
    edges: [],
  } as CatalogJson);
  const withVpc: ArchDocument = {
    format: "cloudwright/v1", name: "n",
    nodes: [
      { id: "vpc", type: "aws.ec2.vpc", name: "VPC", position: { x: 0, y: 0 } },
      { id: "a", type: "aws.ec2.subnet", name: "A", parent: "vpc", position: { x: 0, y: 0 } },
      { id: "b", type: "aws.ec2.subnet", name: "B", parent: "vpc", position: { x: 0, y: 0 }, props: { cidr_block: "10.0.2.0/24" } },
    ],
    edges: [],
  };
  const rangeOf = (op: ReturnType<typeof addNodeOp>) => (op.type === "add_node" ? op.node.props?.cidr_block : undefined);

  it("gives a subnet added to a VPC the first range no other subnet holds", () => {
    expect(rangeOf(addNodeOp(withVpc, net, "aws.ec2.subnet", { x: 0, y: 0 }, "vpc"))).toBe("10.0.1.0/24");
  });

  it("gives a pasted subnet a free range of its own size, one per copy", () => {
    const { op } = pasteOp(withVpc, net, copySelection(withVpc, ["a", "b"])!);
    const after = applyOp(withVpc, op);
    expect(after.nodes.slice(3).map((n) => n.props?.cidr_block)).toEqual(["10.0.1.0/24", "10.0.3.0/24"]);
  });

  it("keeps the ranges of subnets pasted inside a pasted VPC", () => {
    const { op } = pasteOp(withVpc, net, copySelection(withVpc, ["vpc"])!);
    const after = applyOp(withVpc, op);
    expect(after.nodes.slice(3).map((n) => n.props?.cidr_block)).toEqual([undefined, undefined, "10.0.2.0/24"]);
  });

  it("finds blocks inside the VPC's own range and reports a full VPC", () => {
    expect(freeBlock("172.16.0.0/16", "10.0.0.0/20", ["172.16.0.0/24"])).toBe("172.16.16.0/20");
    expect(freeBlock("10.0.0.0/24", "10.0.0.0/25", ["10.0.0.0/25", "10.0.0.128/25"])).toBeNull();
  });
});

describe("names of new and duplicated components", () => {
  const named = (...names: string[]): ArchDocument => ({
    ...doc,
    nodes: names.map((name, i) => ({ id: `n${i}`, type: "fn", name, position: { x: 0, y: 0 } })),
  });
  const pastedNames = (d: ArchDocument, ids: string[]) => {
    const { op } = pasteOp(d, catalog, copySelection(d, ids)!);
    return applyOp(d, op).nodes.slice(d.nodes.length).map((n) => n.name);
  };

  it("numbers a new component after the ones of its kind", () => {
    const op = addNodeOp(named("Lambda function", "Lambda function 2"), catalog, "fn", { x: 0, y: 0 }, null);
    expect(op.type === "add_node" && op.node.name).toBe("Lambda function 3");
  });

  it("gives a duplicate the next free number, not a second number", () => {
    expect(pastedNames(named("Subnet", "Subnet 2"), ["n1"])).toEqual(["Subnet 3"]);
    expect(pastedNames(named("Subnet", "Subnet 2", "Subnet 3"), ["n1"])).toEqual(["Subnet 4"]);
    expect(pastedNames(named("Route 53"), ["n0"])).toEqual(["Route 54"]);
  });

  it("gives each component of one paste its own name", () => {
    expect(pastedNames(named("Subnet", "Subnet 2"), ["n0", "n1"])).toEqual(["Subnet 3", "Subnet 4"]);
  });
});
