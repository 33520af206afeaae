// One collaboration session per open architecture: the websocket, reconnection,
// and the hand-off between the server's messages and the document store.
// Every edit goes through here, even when the user is alone.
import { newClientOpId, useDocumentStore } from "../document/store";
import { OpError } from "../document/reduce";
import type { Op } from "../document/types";
import { useUi } from "../ui/store";
import { opMessage, snapshotNotice, tooLargeToSend, type ClientMessage, type JobEvent, type PeerUser, type ServerMessage } from "./protocol";
import { describeEdit, describeRefusal, labelsOf } from "./refusal";
import { peerKey, useCollab } from "./store";
import { UndoTracker } from "./undo";

const MAX_BACKOFF_MS = 8000;

export type JobListener = (job: JobEvent) => void;

/** An edit sent on the current socket and not answered yet. */
interface InFlight {
  clientOpId: string;
  edit: "op" | "undo" | "redo";
}

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
  /** The edits sent on this socket that the server has not answered, oldest first.
   *  It answers one socket's edits one at a time, in the order they were sent. */
  private inFlight: InFlight[] = [];
  private undoState = new UndoTracker();

  constructor(
    private readonly architectureId: string,
    private readonly me: PeerUser | null,
  ) {
    this.connect();
  }

  /** The edit the server answered, forgotten. An answer without a client op id (a
   *  message it could not read far enough to find one) is the oldest edit's. */
  private answered(clientOpId: string | null): InFlight | undefined {
    const index = clientOpId === null ? 0 : this.inFlight.findIndex((e) => e.clientOpId === clientOpId);
    return index < 0 ? undefined : this.inFlight.splice(index, 1)[0];
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
    this.inFlight = []; // a closed socket's edits get no answer; pending ops go again
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
      if (!p.acked) this.sendEdit({ clientOpId: p.clientOpId, edit: "op" }, opMessage(p.clientOpId, JSON.stringify(p.op)));
    }
  }

  private send(text: string): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(text);
    return true;
  }

  private raw(message: ClientMessage): boolean {
    return this.send(JSON.stringify(message));
  }

  /** Send an edit, and wait for its answer on this socket. */
  private sendEdit(edit: InFlight, text: string): boolean {
    if (!this.send(text)) return false;
    this.inFlight.push(edit);
    return true;
  }

  private receive(message: ServerMessage): void {
    const docs = useDocumentStore.getState();
    const collab = useCollab.getState();
    switch (message.type) {
      case "snapshot": {
        docs.applySnapshot(message.document, message.revision, message.name);
        this.undoState.follow(message.revision, message);
        const notice = snapshotNotice(message.kind, message.by, message.by ? this.isMe(message.by) : false);
        if (notice) useUi.getState().notify("info", notice);
        if (message.members) this.setMembers(message.members);
        this.resendPending();
        break;
      }
      case "op":
        try {
          docs.applyRemote(message.revision, message.op, message.client_op_id);
          if (message.user && this.isMe(message.user)) this.undoState.follow(message.revision, message);
        } catch {
          // Our copy diverged from the server's order: start again from its snapshot.
          this.socket?.close();
        }
        break;
      case "ack": {
        docs.applyAck(message.client_op_id, message.revision);
        this.answered(message.client_op_id);
        this.undoState.follow(message.revision, message);
        break;
      }
      case "reject": {
        const answered = this.answered(message.client_op_id);
        const clientOpId = message.client_op_id ?? answered?.clientOpId;
        const op = clientOpId ? docs.applyReject(clientOpId) : undefined;
        const labels = labelsOf(useDocumentStore.getState().sync?.view, op);
        const edit = answered?.edit === "undo" || answered?.edit === "redo" ? answered.edit : op;
        const refusal = describeRefusal(edit, message.reason, message.errors ?? [], labels);
        useUi.getState().notify("error", refusal.message, refusal.detail);
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
        this.undoState.follow(docs.sync?.revision ?? 0, message);
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

  /** Apply the op at once and send it; it is kept until the server answers. One the
   *  server would refuse to read is neither applied nor kept. */
  apply(op: Op): boolean {
    const opJson = JSON.stringify(op);
    const tooLarge = tooLargeToSend(opJson);
    if (tooLarge) {
      useUi.getState().notify("error", tooLarge);
      return false;
    }
    let clientOpId: string;
    try {
      clientOpId = useDocumentStore.getState().applyLocal(op);
    } catch (e) {
      if (e instanceof OpError) {
        const what = describeEdit(op, labelsOf(useDocumentStore.getState().sync?.view, op));
        useUi.getState().notify("error", `${what} could not be applied: ${e.message}`);
        return false;
      }
      throw e;
    }
    this.sendEdit({ clientOpId, edit: "op" }, opMessage(clientOpId, opJson));
    return true;
  }

  undo(): void {
    this.undoOrRedo("undo");
  }

  redo(): void {
    this.undoOrRedo("redo");
  }

  private undoOrRedo(type: "undo" | "redo"): void {
    const clientOpId = newClientOpId();
    const message: ClientMessage = { type, client_op_id: clientOpId };
    if (!this.sendEdit({ clientOpId, edit: type }, JSON.stringify(message))) {
      useUi.getState().notify("info", `${type === "undo" ? "Undo" : "Redo"} needs the connection; it is coming back.`);
    }
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
