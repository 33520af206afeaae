import { describe, expect, it } from "vitest";
import { ack, fromSnapshot, local, reject, remote } from "./reconcile";
import type { ArchDocument, DocNode, Op } from "./types";

const node = (id: string, name = id): DocNode => ({ id, type: "aws.lambda.function", name, position: { x: 0, y: 0 } });
const doc = (...nodes: DocNode[]): ArchDocument => ({ format: "cloudwright/v1", name: "t", nodes, edges: [] });
const rename = (id: string, name: string): Op => ({ type: "update_node", id, set: { name } });

describe("reconcile", () => {
  it("shows a local op before the server answers, and keeps it once acked", () => {
    let s = fromSnapshot(doc(node("a")), 1);
    s = local(s, { clientOpId: "c1", op: rename("a", "Mine") });
    expect(s.view.nodes[0].name).toBe("Mine");
    expect(s.confirmed.nodes[0].name).toBe("a");
    s = ack(s, "c1", 2);
    expect(s.pending).toHaveLength(0);
    expect(s.revision).toBe(2);
    expect(s.confirmed.nodes[0].name).toBe("Mine");
  });

  it("replays pending ops over a peer's op so the local edit is not lost", () => {
    let s = fromSnapshot(doc(node("a"), node("b")), 1);
    s = local(s, { clientOpId: "c1", op: rename("a", "Mine") });
    s = remote(s, 2, rename("b", "Theirs"));
    expect(s.view.nodes.map((n) => n.name)).toEqual(["Mine", "Theirs"]);
    expect(s.pending).toHaveLength(1);
  });

  it("waits for the broadcast when peers' ops are ordered before an acked op", () => {
    let s = fromSnapshot(doc(node("a"), node("b")), 1);
    s = local(s, { clientOpId: "c1", op: rename("a", "Mine") });
    s = ack(s, "c1", 3);
    expect(s.pending[0].acked).toBe(true);
    s = remote(s, 2, rename("b", "Theirs"));
    s = remote(s, 3, rename("a", "Mine"), "c1");
    expect(s.pending).toHaveLength(0);
    expect(s.confirmed.nodes.map((n) => n.name)).toEqual(["Mine", "Theirs"]);
  });

  it("ignores the broadcast of an op already applied through its ack", () => {
    let s = fromSnapshot(doc(node("a")), 1);
    s = local(s, { clientOpId: "c1", op: { type: "add_node", node: node("b") } });
    s = ack(s, "c1", 2);
    s = remote(s, 2, { type: "add_node", node: node("b") }, "c1");
    expect(s.confirmed.nodes).toHaveLength(2);
  });

  it("drops a rejected op from the view", () => {
    let s = fromSnapshot(doc(node("a")), 1);
    s = local(s, { clientOpId: "c1", op: { type: "delete_node", id: "a" } });
    expect(s.view.nodes).toHaveLength(0);
    s = reject(s, "c1");
    expect(s.view.nodes).toHaveLength(1);
  });

  it("keeps unanswered ops over a new snapshot, and forgets acked ones", () => {
    let s = fromSnapshot(doc(node("a")), 1);
    s = local(s, { clientOpId: "c1", op: rename("a", "Held") });
    s = fromSnapshot(doc(node("a", "Restored")), 5, s.pending);
    expect(s.view.nodes[0].name).toBe("Held");
    expect(fromSnapshot(doc(), 6, [{ ...s.pending[0], acked: true }]).pending).toHaveLength(0);
  });
});
