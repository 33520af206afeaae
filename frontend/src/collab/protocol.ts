// Messages of the collaboration websocket, exactly as docs/collaboration.md (the
// server's contract) describes them.
import type { FieldError } from "../api/client";
import type { ArchDocument, Op } from "../document/types";

/** A member of the room: `members`, `join`, `leave`, `presence` and `op` carry these. */
export interface PeerUser {
  id: number;
  username: string;
  name?: string;
  color?: string;
  role?: "viewer" | "editor" | "owner";
}

/** Who made a REST change (snapshot, deleted): id and username only. */
export interface Actor {
  id: number;
  username: string;
}

/** Why a snapshot was sent: on connect, or a change made outside the op stream. */
export type SnapshotKind = "connect" | "create" | "replace" | "restore" | "rename" | "fix";

export interface JobEvent {
  id: number;
  kind: string;
  state: "queued" | "running" | "succeeded" | "failed" | string;
  progress?: number;
  message?: string;
  error?: string;
  result?: unknown;
}

export type ServerMessage =
  | {
      type: "snapshot";
      kind: SnapshotKind;
      architecture_id: number;
      name: string;
      revision: number;
      document: ArchDocument;
      /** On connect only. */
      members?: PeerUser[];
      /** On REST changes: who did it (null for system changes). */
      by?: Actor | null;
    }
  | { type: "op"; revision: number; client_op_id: string | null; op: Op; user: PeerUser | null }
  | { type: "ack"; client_op_id: string; revision: number }
  | { type: "reject"; client_op_id: string | null; reason: string; errors?: FieldError[] }
  | { type: "presence"; user: PeerUser; cursor: { x: number; y: number } | null; selection: string[] }
  | { type: "join" | "leave"; user: PeerUser }
  | { type: "members"; members: PeerUser[] }
  | { type: "deleted"; architecture_id: number; by: Actor | null }
  | { type: "pong" }
  | { type: "job"; job: JobEvent }
  | { type: "error"; reason: string };

export type ClientMessage =
  | { type: "op"; client_op_id: string; op: Op }
  | { type: "presence"; cursor: { x: number; y: number } | null; selection: string[] }
  | { type: "undo" | "redo"; client_op_id?: string }
  | { type: "ping" };

/** What to tell the user when the document was replaced under them; null for none. */
export function snapshotNotice(kind: SnapshotKind, by: Actor | null | undefined, isMe: boolean): string | null {
  const who = isMe ? "You" : (by?.username ?? "Someone");
  switch (kind) {
    case "replace":
      return `${who} replaced the whole architecture (an import or an API change).`;
    case "restore":
      return `${who} restored a saved version.`;
    case "fix":
      return `${who} applied a security fix.`;
    default:
      return null;
  }
}
