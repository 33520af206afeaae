// Messages of the collaboration websocket, exactly as docs/collaboration.md (the
// server's contract) describes them.
import type { FieldError } from "../api/client";
import type { ArchDocument, Op } from "../document/types";
import type { UndoFlags } from "./undo";

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
    } & UndoFlags // on connect
  | ({ type: "op"; revision: number; client_op_id: string | null; op: Op; user: PeerUser | null } & UndoFlags) // the author's, live
  | ({ type: "ack"; client_op_id: string; revision: number } & UndoFlags)
  | { type: "reject"; client_op_id: string | null; reason: string; errors?: FieldError[] }
  | { type: "presence"; user: PeerUser; cursor: { x: number; y: number } | null; selection: string[] }
  | { type: "join" | "leave"; user: PeerUser }
  | ({ type: "members"; members: PeerUser[] } & UndoFlags) // after a replay on connect
  | { type: "deleted"; architecture_id: number; by: Actor | null }
  | { type: "pong" }
  | { type: "job"; job: JobEvent }
  | { type: "error"; reason: string };

export type ClientMessage =
  | { type: "op"; client_op_id: string; op: Op }
  | { type: "presence"; cursor: { x: number; y: number } | null; selection: string[] }
  | { type: "undo" | "redo"; client_op_id?: string }
  | { type: "ping" };

/** The most the server reads in one message: the document limit (5 MiB) plus 1 MiB
 *  (`max_message_bytes` in builder/collab/consumer.py). */
export const MAX_MESSAGE_BYTES = 6 * 1024 * 1024;
/** An op message around its op: `{"type":"op","client_op_id":"<at most 64>","op":}`. */
const OP_ENVELOPE_BYTES = 37 + 64;
const MB = 1024 * 1024;

/** An op message, from the op already encoded (it was measured). */
export function opMessage(clientOpId: string, opJson: string): string {
  return `{"type":"op","client_op_id":${JSON.stringify(clientOpId)},"op":${opJson}}`;
}

/** Why an op (encoded) cannot be sent: the server refuses messages over its limit,
 *  counted in UTF-8 bytes; null for one within it. */
export function tooLargeToSend(opJson: string): string | null {
  // A UTF-16 unit takes at most 3 bytes in UTF-8: most ops need no counting.
  if (opJson.length * 3 + OP_ENVELOPE_BYTES <= MAX_MESSAGE_BYTES) return null;
  const bytes = new TextEncoder().encode(opJson).length + OP_ENVELOPE_BYTES;
  if (bytes <= MAX_MESSAGE_BYTES) return null;
  const size = Math.ceil((bytes / MB) * 10) / 10;
  return `This change is too large to send (${size} MB; the limit is ${MAX_MESSAGE_BYTES / MB} MB).`;
}

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
