// Where things are on the canvas in absolute flow coordinates, and which container a
// point falls in: what decides a node's `parent` when it is dropped.
import type { InternalNode } from "@xyflow/react";
import type { Catalog } from "../../catalog/catalog";
import type { ArchDocument, XY } from "../../document/types";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type GetInternal = (id: string) => InternalNode | undefined;

export function absoluteRect(get: GetInternal, id: string): Rect | null {
  const node = get(id);
  if (!node) return null;
  const { x, y } = node.internals.positionAbsolute;
  return { x, y, width: node.measured.width ?? node.width ?? 0, height: node.measured.height ?? node.height ?? 0 };
}

const inside = (p: XY, r: Rect) => p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;

export interface DropTarget {
  parent: string | null;
  refusal: string | null;
}

/**
 * The innermost container under `point` that accepts `type`. When the innermost one
 * refuses and no outer one accepts, say why (so the drop is refused with a reason).
 */
export function dropTarget(
  doc: ArchDocument,
  catalog: Catalog,
  get: GetInternal,
  type: string,
  point: XY,
  exclude: Set<string> = new Set(),
): DropTarget {
  const hits = doc.nodes
    .filter((n) => !exclude.has(n.id) && catalog.type(n.type)?.container)
    .map((n) => ({ n, rect: absoluteRect(get, n.id) }))
    .filter((h): h is { n: (typeof doc.nodes)[number]; rect: Rect } => h.rect !== null && inside(point, h.rect))
    .sort((a, b) => a.rect.width * a.rect.height - b.rect.width * b.rect.height);
  for (const hit of hits) {
    if (catalog.placementRefusal(type, hit.n.type) === null) return { parent: hit.n.id, refusal: null };
  }
  if (hits.length > 0 && catalog.placementRefusal(type, null) !== null) {
    return { parent: null, refusal: catalog.placementRefusal(type, hits[0].n.type) };
  }
  return { parent: null, refusal: catalog.placementRefusal(type, null) };
}

export function relativeTo(get: GetInternal, parent: string | null, absolute: XY): XY {
  if (!parent) return { x: Math.round(absolute.x), y: Math.round(absolute.y) };
  const rect = absoluteRect(get, parent);
  return rect ? { x: Math.round(absolute.x - rect.x), y: Math.round(absolute.y - rect.y) } : absolute;
}
