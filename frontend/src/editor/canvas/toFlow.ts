// The document as React Flow nodes and edges. Pure, and keeps the previous object
// for every node whose inputs did not change, so a 1,000-node canvas re-renders
// only what an op touched.
import type { Edge, Node } from "@xyflow/react";
import { MarkerType } from "@xyflow/react";
import type { Catalog } from "../../catalog/catalog";
import type { ArchDocument, DocNode } from "../../document/types";
import { sameBadge, type NodeBadge } from "../../insights/badges";

export type Mark = "added" | "removed" | "changed" | undefined;

export interface NodeData extends Record<string, unknown> {
  node: DocNode;
  mark: Mark;
  /** Connecting from another node: whether this one accepts it (undefined when idle). */
  accepts: boolean | undefined;
  /** Cost and hints badges (insights); undefined when there is nothing to show. */
  badge: NodeBadge | undefined;
  peerColors: string[];
  ghost: boolean;
}

export type FlowNode = Node<NodeData>;

export interface Decorations {
  selected: Set<string>;
  marks: Map<string, Mark>;
  connectingFrom: string | null;
  badges: Record<string, NodeBadge>;
  peerSelections: Map<string, string[]>;
  dragging: Set<string>;
  ghosts: DocNode[];
}

export const CONTAINER_DEFAULT = {
  "aws.ec2.vpc": { width: 640, height: 420 },
  "aws.ec2.subnet": { width: 300, height: 220 },
} as Record<string, { width: number; height: number }>;

function depthOf(node: DocNode, byId: Map<string, DocNode>): number {
  let depth = 0;
  let current = node.parent ? byId.get(node.parent) : undefined;
  while (current && depth < 16) {
    depth += 1;
    current = current.parent ? byId.get(current.parent) : undefined;
  }
  return depth;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function toFlowNodes(doc: ArchDocument, catalog: Catalog, deco: Decorations, previous: FlowNode[]): FlowNode[] {
  const prevById = new Map(previous.map((n) => [n.id, n]));
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const all = [...doc.nodes.map((n) => ({ n, ghost: false })), ...deco.ghosts.map((n) => ({ n, ghost: true }))];
  const ordered = all
    .map((entry) => ({ ...entry, depth: depthOf(entry.n, byId) }))
    .sort((a, b) => a.depth - b.depth);
  const next = ordered.map(({ n, ghost }): FlowNode => {
    const id = ghost ? `ghost:${n.id}` : n.id;
    const prev = prevById.get(id);
    const container = catalog.type(n.type)?.container ?? false;
    const accepts = deco.connectingFrom ? Boolean(catalog.ruleFor(deco.connectingFrom, n.type)) : undefined;
    const data: NodeData = {
      node: n,
      mark: ghost ? "removed" : deco.marks.get(n.id),
      accepts,
      badge: ghost ? undefined : deco.badges[n.id],
      peerColors: deco.peerSelections.get(n.id) ?? [],
      ghost,
    };
    const selected = deco.selected.has(n.id);
    if (
      prev &&
      prev.data.node === n &&
      (deco.dragging.has(id) || prev.position === n.position) &&
      prev.selected === selected &&
      prev.data.mark === data.mark &&
      prev.data.accepts === accepts &&
      sameBadge(prev.data.badge, data.badge) &&
      sameList(prev.data.peerColors, data.peerColors)
    ) {
      return prev;
    }
    const size = container ? (n.size ?? CONTAINER_DEFAULT[n.type] ?? { width: 300, height: 200 }) : undefined;
    const parentExists = n.parent && (byId.has(n.parent) || ghost);
    return {
      id,
      type: container ? "container" : "service",
      position: deco.dragging.has(id) && prev ? prev.position : n.position,
      parentId: parentExists ? (ghost && !byId.has(n.parent!) ? `ghost:${n.parent}` : n.parent!) : undefined,
      data,
      selected,
      draggable: !ghost,
      selectable: !ghost,
      connectable: !ghost,
      ...(size ? { width: size.width, height: size.height } : {}),
      ...(prev?.measured && !container ? { measured: prev.measured } : {}),
      zIndex: container ? -1 : undefined,
    } satisfies FlowNode;
  });
  // Nothing changed (the socket's first snapshot repeating the loaded document, a
  // badge-free estimate): keep the old array so React Flow does no work at all.
  return next.length === previous.length && next.every((n, i) => n === previous[i]) ? previous : next;
}

export function toFlowEdges(doc: ArchDocument, selected: Set<string>, previous: Edge[]): Edge[] {
  const prevById = new Map(previous.map((e) => [e.id, e]));
  return doc.edges.map((e) => {
    const prev = prevById.get(e.id);
    const isSelected = selected.has(e.id);
    if (prev && prev.data?.edge === e && prev.selected === isSelected) return prev;
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      type: "smoothstep",
      selected: isSelected,
      label: e.access ? e.access.replace("_", "/") : undefined,
      labelBgPadding: [4, 2] as [number, number],
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
      data: { edge: e },
      zIndex: 1,
    };
  });
}
