// The document store: what the canvas shows and the server's confirmed state.
// It knows nothing of sockets or UI; the collab module feeds it.
import { create } from "zustand";
import { OpError } from "./reduce";
import * as R from "./reconcile";
import type { ArchDocument, Op } from "./types";

interface DocumentStore {
  architectureId: string | null;
  /** The architecture's name (a rename arrives as a snapshot). */
  name: string;
  sync: R.SyncState | null;
  load(architectureId: string, name: string, document: ArchDocument, revision: number): void;
  /** Apply the user's op locally; returns its client id, or throws OpError. */
  applyLocal(op: Op): string;
  applySnapshot(document: ArchDocument, revision: number, name: string): void;
  applyRemote(revision: number, op: Op, clientOpId?: string | null): void;
  applyAck(clientOpId: string, revision: number): void;
  applyReject(clientOpId: string): Op | undefined;
  reset(): void;
}

let counter = 0;
export function newClientOpId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export const useDocumentStore = create<DocumentStore>((set, get) => ({
  architectureId: null,
  name: "",
  sync: null,
  load: (architectureId, name, document, revision) => {
    const sync = get().sync;
    // The socket's snapshot may have come first, and be newer than this REST answer.
    if (sync && sync.revision >= revision) set({ architectureId, name: get().name || name });
    else set({ architectureId, name, sync: R.fromSnapshot(document, revision, sync?.pending) });
  },
  applyLocal: (op) => {
    const sync = get().sync;
    if (!sync) throw new OpError("the architecture is still loading");
    const clientOpId = newClientOpId();
    set({ sync: R.local(sync, { clientOpId, op }) });
    return clientOpId;
  },
  applySnapshot: (document, revision, name) => {
    const sync = get().sync;
    if (name !== get().name) set({ name });
    // The socket's first snapshot usually repeats what REST just loaded: keeping the
    // same objects spares the canvas from redrawing every node.
    if (sync && sync.revision === revision) return;
    set({ sync: R.fromSnapshot(document, revision, sync?.pending) });
  },
  applyRemote: (revision, op, clientOpId) => {
    const sync = get().sync;
    if (sync) set({ sync: R.remote(sync, revision, op, clientOpId) });
  },
  applyAck: (clientOpId, revision) => {
    const sync = get().sync;
    if (sync) set({ sync: R.ack(sync, clientOpId, revision) });
  },
  applyReject: (clientOpId) => {
    const sync = get().sync;
    if (!sync) return undefined;
    const op = sync.pending.find((p) => p.clientOpId === clientOpId)?.op;
    set({ sync: R.reject(sync, clientOpId) });
    return op;
  },
  reset: () => set({ architectureId: null, name: "", sync: null }),
}));

export const useView = () => useDocumentStore((s) => s.sync?.view ?? null);
