// Reconciliation of the local view with the server's order, as pure functions
// (tested on their own). The server's document at `revision` is `confirmed`; the
// user's ops not yet confirmed are `pending`; what the canvas shows is the pending
// ops replayed over the confirmed document, so a peer's op or a snapshot never
// loses an edit the server has not answered yet.
import { applyOp } from "./reduce";
import type { ArchDocument, Op } from "./types";

export interface PendingOp {
  clientOpId: string;
  op: Op;
  /** The server acked it but its broadcast has not arrived yet: do not re-send. */
  acked?: boolean;
}

export interface SyncState {
  confirmed: ArchDocument;
  revision: number;
  pending: PendingOp[];
  view: ArchDocument;
}

export function replay(confirmed: ArchDocument, pending: PendingOp[]): ArchDocument {
  let view = confirmed;
  for (const p of pending) {
    try {
      view = applyOp(view, p.op);
    } catch {
      // A peer removed what this op edits; the server will reject it and say why.
    }
  }
  return view;
}

export function fromSnapshot(document: ArchDocument, revision: number, pending: PendingOp[] = []): SyncState {
  const kept = pending.filter((p) => !p.acked);
  return { confirmed: document, revision, pending: kept, view: replay(document, kept) };
}

/** The user's own op, shown at once. Throws OpError if it cannot apply locally. */
export function local(state: SyncState, pending: PendingOp): SyncState {
  return { ...state, pending: [...state.pending, pending], view: applyOp(state.view, pending.op) };
}

/** An op the server ordered at `revision` (a peer's, or the broadcast of our own). */
export function remote(state: SyncState, revision: number, op: Op, clientOpId?: string | null): SyncState {
  if (revision <= state.revision) return state;
  const confirmed = applyOp(state.confirmed, op);
  const pending = clientOpId ? state.pending.filter((p) => p.clientOpId !== clientOpId) : state.pending;
  return { confirmed, revision, pending, view: replay(confirmed, pending) };
}

/** The server accepted our op at `revision`. */
export function ack(state: SyncState, clientOpId: string, revision: number): SyncState {
  const mine = state.pending.find((p) => p.clientOpId === clientOpId);
  if (!mine || revision <= state.revision) {
    return { ...state, pending: state.pending.filter((p) => p.clientOpId !== clientOpId) };
  }
  if (revision === state.revision + 1) {
    const pending = state.pending.filter((p) => p !== mine);
    const confirmed = applyOp(state.confirmed, mine.op);
    return { confirmed, revision, pending, view: replay(confirmed, pending) };
  }
  // Ops of other users ordered before ours are still on their way; ours arrives with them.
  return { ...state, pending: state.pending.map((p) => (p === mine ? { ...p, acked: true } : p)) };
}

/** The server refused our op: drop it from the view. */
export function reject(state: SyncState, clientOpId: string): SyncState {
  const pending = state.pending.filter((p) => p.clientOpId !== clientOpId);
  return { ...state, pending, view: replay(state.confirmed, pending) };
}
