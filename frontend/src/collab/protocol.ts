// Messages of the collaboration websocket (docs/collaboration.md).
import type { ArchDocument, Op } from "../document/types";

export interface PeerUser {
  id: number | string;
  username?: string;
  name?: string;
  color?: string;
  role?: string;
}

export type ServerMessage =
  | { type: "snapshot"; revision: number; document: ArchDocument; kind?: string; members?: PeerUser[] }
  | { type: "op"; revision: number; op: Op; user?: PeerUser; client_op_id?: string | null }
  | { type: "ack"; client_op_id: string; revision: number }
  | { type: "reject"; client_op_id?: string | null; reason?: string; errors?: { message: string; path?: string }[] }
  | { type: "presence"; user: PeerUser; cursor?: { x: number; y: number } | null; selection?: string[]; left?: boolean }
  | { type: "join" | "leave"; user: PeerUser }
  | { type: "members"; members: PeerUser[] }
  | { type: "deleted" }
  | { type: "pong" }
  | { type: "job"; job: JobEvent }
  | { type: "error"; message?: string; reason?: string };

export interface JobEvent {
  id: string | number;
  kind?: string;
  state: string;
  progress?: number;
  message?: string;
  error?: string;
  result?: unknown;
}

export type ClientMessage =
  | { type: "op"; client_op_id: string; op: Op }
  | { type: "presence"; cursor: { x: number; y: number } | null; selection: string[] }
  | { type: "undo" }
  | { type: "redo" };
