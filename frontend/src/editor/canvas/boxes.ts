// The boxes nodes take on the canvas, computed from the document alone (no React Flow
// measurements): where a new node fits without covering another one, and how far a
// container must grow to hold what is put into it.
import { applyOp } from "../../document/reduce";
import type { ArchDocument, DocNode, Op, Size, XY } from "../../document/types";
import type { Rect } from "./geometry";
import { CONTAINER_DEFAULT } from "./toFlow";

export const SERVICE_SIZE = { width: 190, height: 64 };
/** Room a container keeps between its edges (its header on top) and what it holds. */
export const INSET = { left: 16, top: 44, right: 16, bottom: 16 };
/** Space left between a new node and its neighbours. */
const GAP = 24;
/** How many grid cells out from the view's centre a new node looks for room. */
const REACH = 12;

export const defaultSize = (type: string): Size => CONTAINER_DEFAULT[type] ?? SERVICE_SIZE;
export const boxSize = (node: DocNode): Size => node.size ?? defaultSize(node.type);

/** Every node's box in absolute canvas coordinates (positions are relative to the parent). */
export function absoluteRects(doc: ArchDocument): Map<string, Rect> {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const rects = new Map<string, Rect>();
  const place = (node: DocNode, depth = 0): Rect => {
    const known = rects.get(node.id);
    if (known) return known;
    const parent = node.parent ? byId.get(node.parent) : undefined;
    const origin = parent && depth < 32 ? place(parent, depth + 1) : { x: 0, y: 0 };
    const rect = { x: origin.x + node.position.x, y: origin.y + node.position.y, ...boxSize(node) };
    rects.set(node.id, rect);
    return rect;
  };
  doc.nodes.forEach((n) => place(n));
  return rects;
}

const apart = (a: Rect, b: Rect, gap: number) =>
  a.x + a.width + gap <= b.x || b.x + b.width + gap <= a.x || a.y + a.height + gap <= b.y || b.y + b.height + gap <= a.y;

const within = (a: Rect, box: Rect) =>
  a.x >= box.x + INSET.left && a.y >= box.y + INSET.top &&
  a.x + a.width <= box.x + box.width - INSET.right && a.y + a.height <= box.y + box.height - INSET.bottom;

/** Grid offsets around (0, 0), nearest first; on a tie below, then right, comes first. */
function cellsByDistance(step: XY): XY[] {
  const cells: XY[] = [];
  for (let j = -REACH; j <= REACH; j++) for (let i = -REACH; i <= REACH; i++) cells.push({ x: i, y: j });
  const distance = (c: XY) => (c.x * step.x) ** 2 + (c.y * step.y) ** 2;
  return cells.sort((a, b) => distance(a) - distance(b) || b.y - a.y || b.x - a.x);
}

/**
 * The top-left corner (absolute) of the grid cell nearest `center` where a node of
 * `size` covers no other node: it keeps clear of services, and sits either wholly
 * inside a container's body or clear of it. `center` itself when nothing is free.
 */
export function freeSpot(doc: ArchDocument, isContainer: (node: DocNode) => boolean, size: Size, center: XY): XY {
  const rects = absoluteRects(doc);
  const others = doc.nodes.map((n) => ({ rect: rects.get(n.id)!, container: isContainer(n) }));
  const origin = { x: center.x - size.width / 2, y: center.y - size.height / 2 };
  const step = { x: size.width + GAP, y: size.height + GAP };
  for (const cell of cellsByDistance(step)) {
    const spot = { x: origin.x + cell.x * step.x, y: origin.y + cell.y * step.y, ...size };
    if (others.every((o) => apart(spot, o.rect, GAP) || (o.container && within(spot, o.rect)))) return { x: spot.x, y: spot.y };
  }
  return origin;
}

/**
 * A node of `size` put at `position` inside `parent`: the position moved off the
 * container's left edge and header if it pokes out there, and the ops growing the
 * container (and each one around it, as far as needed) to hold it on the right and
 * below.
 */
function holdInParent(doc: ArchDocument, parent: string, position: XY, size: Size): { position: XY; grow: Op[] } {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  let container = byId.get(parent);
  const at = { x: Math.max(position.x, INSET.left), y: Math.max(position.y, INSET.top) };
  const grow: Op[] = [];
  let child: Rect = { ...at, ...size };
  for (let depth = 0; container && depth < 32; depth++) {
    const box = boxSize(container);
    const need = {
      width: Math.max(box.width, Math.ceil(child.x + child.width + INSET.right)),
      height: Math.max(box.height, Math.ceil(child.y + child.height + INSET.bottom)),
    };
    if (need.width === box.width && need.height === box.height) break;
    grow.push({ type: "update_node", id: container.id, set: { size: need } });
    child = { ...container.position, ...need };
    container = container.parent ? byId.get(container.parent) : undefined;
  }
  return { position: at, grow };
}

/**
 * The ops that keep `ids` (just added, dropped or pasted into `doc`) inside their
 * containers: each moved off its container's left edge and header, and containers
 * grown to hold them on the right and below. Growing is an edit like any other, so
 * collaborators see it and one undo takes it back with the drop.
 */
export function keepInside(doc: ArchDocument, ids: string[]): Op[] {
  const placed = new Set(ids);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const ops: Op[] = [];
  for (const id of ids) {
    const node = byId.get(id);
    // Inside a container placed with it, a node keeps its place in that container.
    if (!node?.parent || placed.has(node.parent) || !byId.has(node.parent)) continue;
    const { position, grow } = holdInParent(doc, node.parent, node.position, boxSize(node));
    const moved = position.x !== node.position.x || position.y !== node.position.y;
    const step: Op[] = moved ? [{ type: "update_node", id, set: { position } }, ...grow] : grow;
    doc = step.reduce(applyOp, doc);
    ops.push(...step);
  }
  return ops;
}
