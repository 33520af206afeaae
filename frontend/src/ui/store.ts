// UI state: selection, open panels, notices, and what the user is doing right now.
// Nothing here is part of the document.
import { create } from "zustand";
import type { DocNode } from "../document/types";

export type NoticeKind = "error" | "info" | "success";

export interface Notice {
  id: number;
  kind: NoticeKind;
  message: string;
  detail?: string[];
}

export type SidePanel = "properties" | "code" | "versions" | "cost" | "hints";

export interface DiffMarks {
  label: string;
  added: Set<string>;
  changed: Set<string>;
  /** Nodes of the older version that the working copy no longer has, drawn as ghosts. */
  removedNodes: DocNode[];
}

interface UiStore {
  notices: Notice[];
  notify(kind: NoticeKind, message: string, detail?: string[]): void;
  dismiss(id: number): void;
  selectedNodes: string[];
  selectedEdges: string[];
  select(nodes: string[], edges?: string[]): void;
  panel: SidePanel;
  setPanel(panel: SidePanel): void;
  /** Nodes the user is dragging: peers' moves of these wait until the drop. */
  dragging: Set<string>;
  setDragging(ids: string[]): void;
  /** Type of the node a connection is being drawn from, to mark accepted targets. */
  connectingFrom: string | null;
  setConnectingFrom(type: string | null): void;
  diff: DiffMarks | null;
  setDiff(diff: DiffMarks | null): void;
  /** Zoomed out so far that nodes are drawn as plain tiles. */
  far: boolean;
  setFar(far: boolean): void;
}

let nextNotice = 1;

export const useUi = create<UiStore>((set, get) => ({
  notices: [],
  notify: (kind, message, detail) => {
    const id = nextNotice++;
    set({ notices: [...get().notices.slice(-4), { id, kind, message, detail }] });
    if (kind !== "error") setTimeout(() => get().dismiss(id), 5000);
  },
  dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
  selectedNodes: [],
  selectedEdges: [],
  select: (nodes, edges = []) => set({ selectedNodes: nodes, selectedEdges: edges }),
  panel: "properties",
  setPanel: (panel) => set({ panel }),
  dragging: new Set(),
  setDragging: (ids) => set({ dragging: new Set(ids) }),
  connectingFrom: null,
  setConnectingFrom: (connectingFrom) => set({ connectingFrom }),
  diff: null,
  setDiff: (diff) => set({ diff }),
  far: false,
  setFar: (far) => {
    if (far !== get().far) set({ far });
  },
}));

export const notifyError = (e: unknown, prefix = "") => {
  const err = e as Error & { errors?: { message: string }[] };
  const message = `${prefix}${err.message ?? String(e)}`;
  useUi.getState().notify("error", message);
};
