// The viewport a document opens at, computed from the document alone. React Flow's own
// fitView waits until every node is drawn and measured, then zooms: on a big diagram
// that draws every node twice (in detail at zoom 1, then as tiles far out).
import type { ArchDocument } from "../../document/types";
import { CONTAINER_DEFAULT } from "./toFlow";

export const SERVICE_SIZE = { width: 190, height: 64 };
/** Below this zoom a large diagram's nodes are drawn as plain tiles: labels are unreadable there anyway. */
export const FAR_ZOOM = 0.45;

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export function documentBounds(doc: ArchDocument): { x: number; y: number; width: number; height: number } | null {
  if (doc.nodes.length === 0) return null;
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const absolute = new Map<string, { x: number; y: number }>();
  const place = (id: string, depth = 0): { x: number; y: number } => {
    const known = absolute.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const parent = node.parent && byId.has(node.parent) && depth < 32 ? place(node.parent, depth + 1) : { x: 0, y: 0 };
    const at = { x: parent.x + node.position.x, y: parent.y + node.position.y };
    absolute.set(id, at);
    return at;
  };
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const node of doc.nodes) {
    const { x, y } = place(node.id);
    const size = node.size ?? CONTAINER_DEFAULT[node.type] ?? SERVICE_SIZE;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + size.width);
    maxY = Math.max(maxY, y + size.height);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/** The whole document in view with `padding` (a fraction) around it, like fitView. */
export function fittingViewport(doc: ArchDocument, width: number, height: number, padding = 0.2, minZoom = 0.05, maxZoom = 1.2): Viewport {
  const bounds = documentBounds(doc);
  if (!bounds || width <= 0 || height <= 0) return { x: 0, y: 0, zoom: 1 };
  const zoom = Math.min(maxZoom, Math.max(minZoom, Math.min(width / (bounds.width * (1 + padding)), height / (bounds.height * (1 + padding)))));
  return {
    x: width / 2 - (bounds.x + bounds.width / 2) * zoom,
    y: height / 2 - (bounds.y + bounds.height / 2) * zoom,
    zoom,
  };
}
