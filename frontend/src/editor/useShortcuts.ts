// Keyboard shortcuts of the editor, the ones a Figma or Composer user expects.
import { useReactFlow } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { useCatalog } from "../catalog/store";
import { useSession } from "../collab/context";
import { applyOp } from "../document/reduce";
import { useDocumentStore } from "../document/store";
import { useUi } from "../ui/store";
import { keepInside } from "./canvas/boxes";
import { FIT } from "./canvas/viewport";
import { copySelection, deleteOp, pasteOp, type Clip } from "./commands";

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

export const SHORTCUTS: [string, string][] = [
  ["Delete / Backspace", "Delete the selection"],
  ["Ctrl+C / Ctrl+V", "Copy / paste"],
  ["Ctrl+D", "Duplicate"],
  ["Ctrl+Z / Ctrl+Shift+Z", "Undo / redo (your own edits)"],
  ["Ctrl+A", "Select everything"],
  ["Shift+1", "Zoom to fit"],
  ["Shift+drag", "Select an area"],
  ["Esc", "Clear the selection"],
];

export function useShortcuts(readOnly: boolean, onLayout: () => void) {
  const session = useSession();
  const flow = useReactFlow();
  const clip = useRef<Clip | null>(null);
  const catalogReady = useCatalog((s) => s.catalog !== null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target) || !catalogReady) return;
      const doc = useDocumentStore.getState().sync?.view;
      if (!doc) return;
      const ui = useUi.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const paste = (c: Clip | null) => {
        if (!c) return;
        const { op, ids } = pasteOp(doc, useCatalog.getState().catalog!, c);
        const fit = keepInside(applyOp(doc, op), ids);
        if (session.apply(fit.length ? { type: "batch", ops: [op, ...fit] } : op)) ui.select(ids);
      };
      if (event.key === "Escape") ui.select([]);
      else if (event.shiftKey && event.code === "Digit1") flow.fitView(FIT);
      else if (mod && key === "a") {
        event.preventDefault();
        ui.select(doc.nodes.map((n) => n.id), doc.edges.map((e) => e.id));
      } else if (readOnly) return;
      else if (event.key === "Delete" || event.key === "Backspace") {
        const op = deleteOp(doc, ui.selectedNodes, ui.selectedEdges);
        if (op) {
          event.preventDefault();
          session.apply(op);
          ui.select([]);
        }
      } else if (mod && key === "z") {
        event.preventDefault();
        if (event.shiftKey) session.redo();
        else session.undo();
      } else if (mod && key === "y") {
        event.preventDefault();
        session.redo();
      } else if (mod && key === "c") clip.current = copySelection(doc, ui.selectedNodes);
      else if (mod && key === "x") {
        clip.current = copySelection(doc, ui.selectedNodes);
        const op = deleteOp(doc, ui.selectedNodes, []);
        if (op) session.apply(op);
      } else if (mod && key === "v") paste(clip.current);
      else if (mod && key === "d") {
        event.preventDefault();
        paste(copySelection(doc, ui.selectedNodes));
      } else if (event.shiftKey && key === "l") onLayout();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [session, flow, readOnly, onLayout, catalogReady]);
}
