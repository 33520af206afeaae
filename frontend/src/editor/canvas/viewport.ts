// The viewport a document opens at, computed from the document alone. React Flow's own
// fitView waits until every node is drawn and measured, then zooms: on a big diagram
// that draws every node twice (in detail at zoom 1, then as tiles far out).
import { getViewportForBounds, type FitViewOptions } from "@xyflow/react";
import type { ArchDocument } from "../../document/types";
import { absoluteRects } from "./boxes";

/** Below this zoom a large diagram's nodes are drawn as plain tiles: labels are unreadable there anyway. */
export const FAR_ZOOM = 0.45;
export const MIN_ZOOM = 0.05;

/**
 * How every "fit" frames the diagram (on open, the Fit button, Shift+1, after
 * auto-layout): never closer than 1:1, so three nodes do not fill the screen, and
 * with room at the bottom for the controls and the minimap (200 x 150 px, 15 px
 * from the corner) so that no node ends up under them.
 */
export const FIT = {
  padding: { top: "48px", left: "48px", right: "48px", bottom: "180px" },
  minZoom: MIN_ZOOM,
  maxZoom: 1,
  duration: 300,
} satisfies FitViewOptions;

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export function documentBounds(doc: ArchDocument): { x: number; y: number; width: number; height: number } | null {
  if (doc.nodes.length === 0) return null;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of absoluteRects(doc).values()) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.width);
    maxY = Math.max(maxY, r.y + r.height);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/** The whole document in view, framed as `FIT` frames it. */
export function fittingViewport(doc: ArchDocument, width: number, height: number): Viewport {
  const bounds = documentBounds(doc);
  if (!bounds || width <= 0 || height <= 0) return { x: 0, y: 0, zoom: 1 };
  return getViewportForBounds(bounds, width, height, FIT.minZoom, FIT.maxZoom, FIT.padding);
}
