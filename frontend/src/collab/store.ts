// Connection state and who else is here; separate from the document and the UI.
import { create } from "zustand";
import type { PeerUser } from "./protocol";

export type ConnectionStatus = "connecting" | "online" | "offline" | "reconnected";

export interface Peer {
  key: string;
  user: PeerUser;
  color: string;
  cursor: { x: number; y: number } | null;
  selection: string[];
  seen: number;
}

interface CollabStore {
  status: ConnectionStatus;
  /** When the connection dropped, to say for how long edits are held. */
  offlineSince: number | null;
  peers: Record<string, Peer>;
  myRole: PeerUser["role"] | null;
  setStatus(status: ConnectionStatus): void;
  upsertPeer(user: PeerUser, patch: Partial<Pick<Peer, "cursor" | "selection">>): void;
  removePeer(user: PeerUser): void;
  clearPeers(): void;
}

const COLORS = ["#e8590c", "#1c7ed6", "#2b8a3e", "#ae3ec9", "#d6336c", "#0c8599", "#f08c00", "#5c7cfa"];

export function peerColor(key: string): string {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length];
}

export const peerKey = (user: { id: number; username?: string }) => String(user.id);
export const peerName = (user: PeerUser) => user.name || user.username || `User ${user.id}`;

export const useCollab = create<CollabStore>((set, get) => ({
  status: "connecting",
  offlineSince: null,
  peers: {},
  myRole: null,
  setStatus: (status) =>
    set({
      status,
      offlineSince: status === "offline" ? (get().offlineSince ?? Date.now()) : status === "online" || status === "reconnected" ? null : get().offlineSince,
    }),
  upsertPeer: (user, patch) => {
    const key = peerKey(user);
    const prev = get().peers[key];
    set({
      peers: {
        ...get().peers,
        [key]: {
          key,
          user,
          color: user.color ?? prev?.color ?? peerColor(key),
          cursor: prev?.cursor ?? null,
          selection: prev?.selection ?? [],
          ...patch,
          seen: Date.now(),
        },
      },
    });
  },
  removePeer: (user) => {
    const peers = { ...get().peers };
    delete peers[peerKey(user)];
    set({ peers });
  },
  clearPeers: () => set({ peers: {} }),
}));
