// One collaboration session per open architecture: the websocket, reconnection,
// and the hand-off between the server's messages and the document store.
// Every edit goes through here, even when the user is alone.
import { useDocumentStore } from "../document/store";
import { OpError } from "../document/reduce";
import type { Op } from "../document/types";
import { useUi } from "../ui/store";
import { snapshotNotice, type ClientMessage, type JobEvent, type PeerUser, type ServerMessage } from "./protocol";
import { peerKey, useCollab } from "./store";

const MAX_BACKOFF_MS = 8000;

export type JobListener = (job: JobEvent) => void;

export class CollabSession {
  private socket: WebSocket | null = null;
  private closed = false;
  private backoff = 500;
  private wasOnline = false;
  private retryTimer: number | undefined;
  private jobListeners = new Set<JobListener>();
  private lastPresence = 0;
  private presenceTimer: number | undefined;
  private queuedPresence: ClientMessage | null = null;
  /** Reconnected: unanswered ops go again once the missed ones have been replayed. */
  private catchingUp = false;

  constructor(
    private readonly architectureId: string,
    private readonly me: PeerUser | null,
  ) {
    this.connect();
  }

  private url(): string {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const revision = useDocumentStore.getState().sync?.revision;
    const since = this.wasOnline && revision !== undefined ? `?since=${revision}` : "";
    return `${proto}//${location.host}/ws/architectures/${this.architectureId}/${since}`;
  }

  private connect(): void {
    if (this.closed) return;
    useCollab.getState().setStatus(this.wasOnline ? "offline" : "connecting");
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.onopen = () => {
      this.backoff = 500;
      useCollab.getState().setStatus(this.wasOnline ? "reconnected" : "online");
      if (this.wasOnline) {
        this.catchingUp = true;
      }
      this.wasOnline = true;
    };
    socket.onmessage = (event) => this.receive(JSON.parse(event.data) as ServerMessage);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      useCollab.getState().clearPeers();
      if (this.closed) return;
      if (event.code === 4403 || event.code === 4404 || event.code === 4401) {
        useCollab.getState().setStatus("offline");
        useUi.getState().notify("error", "You no longer have access to this architecture.");
        return;
      }
      useCollab.getState().setStatus(this.wasOnline ? "offline" : "connecting");
      this.retryTimer = window.setTimeout(() => this.connect(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    };
  }

  private resendPending(): void {
    if (!this.catchingUp) return;
    this.catchingUp = false;
    const unanswered = (useDocumentStore.getState().sync?.pending ?? []).filter((p) => !p.acked).length;
    useUi.getState().notify("success", unanswered ? `Connection restored. Sending ${unanswered} held change${unanswered > 1 ? "s" : ""}.` : "Connection restored. Everything is synced.");
    for (const p of useDocumentStore.getState().sync?.pending ?? []) {
      if (!p.acked) this.raw({ type: "op", client_op_id: p.clientOpId, op: p.op });
    }
  }

  private raw(message: ClientMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private receive(message: ServerMessage): void {
    const docs = useDocumentStore.getState();
    const collab = useCollab.getState();
    switch (message.type) {
      case "snapshot": {
        docs.applySnapshot(message.document, message.revision, message.name);
        const notice = snapshotNotice(message.kind, message.by, message.by ? this.isMe(message.by) : false);
        if (notice) useUi.getState().notify("info", notice);
        if (message.members) this.setMembers(message.members);
        this.resendPending();
        break;
      }
      case "op":
        try {
          docs.applyRemote(message.revision, message.op, message.client_op_id);
        } catch {
          // Our copy diverged from the server's order: start again from its snapshot.
          this.socket?.close();
        }
        break;
      case "ack":
        docs.applyAck(message.client_op_id, message.revision);
        break;
      case "reject": {
        const op = message.client_op_id ? docs.applyReject(message.client_op_id) : undefined;
        const what = op ? describeOp(op) : "Your change";
        useUi.getState().notify("error", `${what} was refused: ${message.reason}`, message.errors?.map((e) => e.message));
        break;
      }
      case "presence":
        if (this.isMe(message.user)) break;
        collab.upsertPeer(message.user, { cursor: message.cursor, selection: message.selection });
        break;
      case "join":
        if (!this.isMe(message.user)) collab.upsertPeer(message.user, {});
        break;
      case "leave":
        collab.removePeer(message.user);
        break;
      case "members":
        this.setMembers(message.members);
        this.resendPending();
        break;
      case "deleted":
        this.closed = true;
        useCollab.getState().setStatus("offline");
        useUi.getState().notify("error", `This architecture was deleted${message.by ? ` by ${message.by.username}` : ""}.`);
        break;
      case "pong":
        break;
      case "job":
        for (const listener of this.jobListeners) listener(message.job);
        break;
      case "error":
        useUi.getState().notify("error", `The collaboration server refused a message: ${message.reason}`);
        break;
    }
  }

  private setMembers(members: PeerUser[]): void {
    const collab = useCollab.getState();
    const here = new Set(members.map(peerKey));
    for (const peer of Object.values(collab.peers)) if (!here.has(peer.key)) collab.removePeer(peer.user);
    for (const user of members) {
      if (!this.isMe(user)) collab.upsertPeer(user, {});
      else if (user.role) useCollab.setState({ myRole: user.role });
    }
  }

  private isMe(user: { id: number; username: string }): boolean {
    return this.me !== null && peerKey(user) === peerKey(this.me);
  }

  /** Apply the op at once and send it; it is kept until the server answers. */
  apply(op: Op): boolean {
    let clientOpId: string;
    try {
      clientOpId = useDocumentStore.getState().applyLocal(op);
    } catch (e) {
      if (e instanceof OpError) {
        useUi.getState().notify("error", `${describeOp(op)} could not be applied: ${e.message}`);
        return false;
      }
      throw e;
    }
    this.raw({ type: "op", client_op_id: clientOpId, op });
    return true;
  }

  undo(): void {
    if (!this.raw({ type: "undo" })) useUi.getState().notify("info", "Undo needs the connection; it is coming back.");
  }

  redo(): void {
    if (!this.raw({ type: "redo" })) useUi.getState().notify("info", "Redo needs the connection; it is coming back.");
  }

  /** Cursor (in flow coordinates) and selection, at most ~20 times a second. */
  presence(cursor: { x: number; y: number } | null, selection: string[]): void {
    this.queuedPresence = { type: "presence", cursor, selection };
    const wait = 50 - (Date.now() - this.lastPresence);
    if (wait <= 0) this.flushPresence();
    else if (this.presenceTimer === undefined) this.presenceTimer = window.setTimeout(() => this.flushPresence(), wait);
  }

  private flushPresence(): void {
    this.presenceTimer = undefined;
    if (!this.queuedPresence) return;
    this.lastPresence = Date.now();
    this.raw(this.queuedPresence);
    this.queuedPresence = null;
  }

  onJob(listener: JobListener): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    useCollab.getState().clearPeers();
  }
}

export function describeOp(op: Op): string {
  const labels: Record<Op["type"], string> = {
    add_node: "Adding the component",
    update_node: "Changing the component",
    move_node: "Moving the component",
    delete_node: "Deleting the component",
    add_edge: "The connection",
    update_edge: "Changing the connection",
    delete_edge: "Deleting the connection",
    set_document: "Replacing the document",
    batch: "Your change",
  };
  return labels[op.type];
}
