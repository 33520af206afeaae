import { describe, expect, it } from "vitest";
import type { ArchDocument, Op } from "../document/types";
import { describeRefusal, labelsOf } from "./refusal";

const doc: ArchDocument = {
  format: "cloudwright/v1", name: "d", edges: [],
  nodes: [
    { id: "vpc_k2j9a", type: "aws.ec2.vpc", name: "VPC", position: { x: 0, y: 0 } },
    { id: "subnet_fw1ku", type: "aws.ec2.subnet", name: "Subnet", parent: "vpc_k2j9a", position: { x: 0, y: 0 } },
    { id: "subnet_9zq0p", type: "aws.ec2.subnet", name: "Subnet 2", parent: "vpc_k2j9a", position: { x: 0, y: 0 } },
  ],
};
const overlap = "10.0.0.0/24 overlaps subnet 'subnet_fw1ku' (10.0.0.0/24)";
const change: Op = { type: "update_node", id: "subnet_9zq0p", set: { "props.cidr_block": "10.0.0.0/24" } };

describe("describeRefusal", () => {
  it("names components by their labels and says the problem once", () => {
    const refusal = describeRefusal(change, `the change would make the architecture invalid: ${overlap}`,
      [{ path: "/nodes/2/props/cidr_block", message: overlap, node_id: "subnet_9zq0p" }], labelsOf(doc, change));
    expect(refusal).toEqual({ message: "Changing “Subnet 2” was refused: 10.0.0.0/24 overlaps subnet “Subnet” (10.0.0.0/24)" });
  });

  it("adds the id only to a name several components share", () => {
    const twins = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, name: n.type === "aws.ec2.subnet" ? "Subnet" : n.name })) };
    const { message } = describeRefusal(change, overlap, [{ message: overlap, node_id: "subnet_9zq0p" }], labelsOf(twins, change));
    expect(message).toBe("Changing “Subnet” (subnet_9zq0p) was refused: 10.0.0.0/24 overlaps subnet “Subnet” (subnet_fw1ku) (10.0.0.0/24)");
  });

  it("lists several problems, each under the component it is about", () => {
    const add: Op = { type: "add_node", node: { id: "fn_x1", type: "aws.lambda.function", name: "Lambda function", position: { x: 0, y: 0 } } };
    const errors = [
      { message: "aws.lambda.function cannot sit inside aws.ec2.vpc", node_id: "fn_x1" },
      { message: overlap, node_id: "subnet_9zq0p" },
    ];
    expect(describeRefusal(add, "…", errors, labelsOf(doc, add))).toEqual({
      message: "Adding “Lambda function” was refused for 2 reasons:",
      detail: ["aws.lambda.function cannot sit inside aws.ec2.vpc", "“Subnet 2”: 10.0.0.0/24 overlaps subnet “Subnet” (10.0.0.0/24)"],
    });
  });

  it("says what an undo refused without errors was", () => {
    expect(describeRefusal("undo", "nothing to undo", [], labelsOf(doc)).message).toBe("Undo was refused: nothing to undo");
    expect(describeRefusal(undefined, "node 'gone' does not exist", [], labelsOf(doc)).message).toBe("Your change was refused: node 'gone' does not exist");
  });
});
