// The session against a fake socket: what the user sees (the Undo/Redo buttons, the
// pending ops, the notices) for what the server sends.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useDocumentStore } from "../document/store";
import type { ArchDocument, DocNode, Op } from "../document/types";
import { useUi } from "../ui/store";
import { MAX_MESSAGE_BYTES, type ServerMessage } from "./protocol";
import { CollabSession } from "./session";
import { useUndo } from "./undo";

class FakeSocket {
  static OPEN = 1;
  static last: FakeSocket;
  readyState = FakeSocket.OPEN;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {}
  receive(message: ServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const me = { id: 3, username: "ana" };
const node = (id: string): DocNode => ({ id, type: "aws.sqs.queue", name: id, position: { x: 0, y: 0 } });
const doc: ArchDocument = { format: "cloudwright/v1", name: "orders", nodes: [node("a"), node("b")], edges: [] };
const rename = (id: string, name: string): Op => ({ type: "update_node", id, set: { name } });
const buttons = () => useUndo.getState();
const notices = () => useUi.getState().notices.map((n) => n.message);
const pendingIds = () => useDocumentStore.getState().sync?.pending.map((p) => p.clientOpId);
const names = () => useDocumentStore.getState().sync?.view.nodes.map((n) => n.name);

let session: CollabSession;
let socket: FakeSocket;
const fetchSpy = vi.fn();

beforeEach(() => {
  vi.stubGlobal("WebSocket", FakeSocket);
  vi.stubGlobal("window", globalThis);
  vi.stubGlobal("location", { protocol: "http:", host: "test" });
  vi.stubGlobal("fetch", fetchSpy);
  useUi.setState({ notices: [] });
  useDocumentStore.getState().reset();
  useDocumentStore.getState().load("7", "orders", doc, 1);
  session = new CollabSession("7", me);
  socket = FakeSocket.last;
  socket.onopen?.();
});

afterEach(() => {
  session.close();
  vi.unstubAllGlobals();
});

const connectSnapshot = (flags: { can_undo: boolean; can_redo: boolean }): ServerMessage => ({
  type: "snapshot", kind: "connect", architecture_id: 7, name: "orders", revision: 1, document: doc, members: [me], ...flags,
});

describe("the Undo and Redo buttons", () => {
  it("follow what the server says, without reading the change log", () => {
    expect(buttons()).toEqual({ canUndo: false, canRedo: false });
    socket.receive(connectSnapshot({ can_undo: true, can_redo: true }));
    expect(buttons()).toEqual({ canUndo: true, canRedo: true });
    session.apply(rename("a", "A"));
    socket.receive({ type: "ack", client_op_id: socket.sent[0].client_op_id as string, revision: 2, can_undo: true, can_redo: false });
    expect(buttons()).toEqual({ canUndo: true, canRedo: false });
    session.undo();
    socket.receive({ type: "ack", client_op_id: socket.sent[1].client_op_id as string, revision: 3, can_undo: false, can_redo: true });
    expect(buttons()).toEqual({ canUndo: false, canRedo: true });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("follow the user's other tabs, not other users, and ignore word older than they show", () => {
    socket.receive(connectSnapshot({ can_undo: false, can_redo: false }));
    const opFrom = (user: { id: number; username: string }, revision: number, flags: { can_undo: boolean; can_redo: boolean }): ServerMessage => ({
      type: "op", revision, client_op_id: `x${revision}`, op: rename("b", `B${revision}`), user, ...flags,
    });
    socket.receive(opFrom({ id: 4, username: "bo" }, 2, { can_undo: true, can_redo: true }));
    expect(buttons()).toEqual({ canUndo: false, canRedo: false });
    socket.receive(opFrom(me, 3, { can_undo: true, can_redo: false }));
    expect(buttons()).toEqual({ canUndo: true, canRedo: false });
    // This tab's op at 5 is acked before the other tab's undo at 4 is broadcast.
    session.apply(rename("a", "A"));
    socket.receive({ type: "ack", client_op_id: socket.sent[0].client_op_id as string, revision: 5, can_undo: true, can_redo: false });
    socket.receive(opFrom(me, 4, { can_undo: false, can_redo: true }));
    expect(buttons()).toEqual({ canUndo: true, canRedo: false });
  });

  it("take the state a reconnect's replay ends with", () => {
    socket.receive(connectSnapshot({ can_undo: true, can_redo: false }));
    socket.receive({ type: "op", revision: 2, client_op_id: "x", op: rename("b", "B"), user: me });
    socket.receive({ type: "members", members: [me], can_undo: false, can_redo: true });
    expect(buttons()).toEqual({ canUndo: false, canRedo: true });
  });
});

describe("an op too large for the server", () => {
  it("is refused at once, neither shown nor sent nor kept", () => {
    socket.receive(connectSnapshot({ can_undo: false, can_redo: false }));
    const huge = "é".repeat(MAX_MESSAGE_BYTES / 2); // two UTF-8 bytes each
    expect(session.apply(rename("a", huge))).toBe(false);
    expect(notices()).toEqual(["This change is too large to send (6.1 MB; the limit is 6 MB)."]);
    expect(socket.sent).toEqual([]);
    expect(pendingIds()).toEqual([]);
    expect(names()).toEqual(["a", "b"]);
  });

  it("is sent when it fits, counted in UTF-8 bytes", () => {
    socket.receive(connectSnapshot({ can_undo: false, can_redo: false }));
    expect(session.apply(rename("a", "é".repeat(MAX_MESSAGE_BYTES / 2 - 200)))).toBe(true);
    expect(socket.sent).toHaveLength(1);
    expect(notices()).toEqual([]);
  });
});

describe("a reject without a client op id", () => {
  it("answers the oldest edit still unanswered, which is dropped", () => {
    socket.receive(connectSnapshot({ can_undo: false, can_redo: false }));
    session.apply(rename("a", "First"));
    session.apply(rename("b", "Second"));
    const second = socket.sent[1].client_op_id as string;
    socket.receive({ type: "reject", client_op_id: null, reason: "the message is 6400000 bytes; the limit is 6291456 bytes" });
    expect(pendingIds()).toEqual([second]);
    expect(names()).toEqual(["a", "Second"]);
    expect(notices()).toEqual(["Changing “a” was refused: the message is 6400000 bytes; the limit is 6291456 bytes"]);
    socket.receive({ type: "ack", client_op_id: second, revision: 2, can_undo: true, can_redo: false });
    expect(pendingIds()).toEqual([]);
  });

  it("after a reconnect answers the op sent again, not an undo lost with the old socket", () => {
    vi.useFakeTimers();
    socket.receive(connectSnapshot({ can_undo: true, can_redo: false }));
    session.undo(); // never answered: the socket drops
    session.apply(rename("a", "First"));
    socket.onclose?.({ code: 1006 });
    vi.runOnlyPendingTimers();
    vi.useRealTimers();
    const again = FakeSocket.last;
    expect(again).not.toBe(socket);
    again.onopen?.();
    again.receive({ type: "members", members: [me] }); // the replay's end: pending ops go again
    expect(again.sent.map((m) => m.type)).toEqual(["op"]);
    again.receive({ type: "reject", client_op_id: null, reason: "too large" });
    expect(pendingIds()).toEqual([]);
    expect(notices().at(-1)).toBe("Changing “a” was refused: too large");
  });
});
