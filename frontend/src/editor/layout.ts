// Auto-layout with ELK: containers are laid out with their children inside, left to
// right along the connections. Returns one batch op moving (and resizing) everything.
import type { ElkNode } from "elkjs/lib/elk.bundled.js";
import type { Catalog } from "../catalog/catalog";
import type { ArchDocument, Op } from "../document/types";

// ELK is large; load it the first time someone lays out, not with the editor.
const elk = import("elkjs/lib/elk.bundled.js").then(({ default: ELK }) => new ELK());
const SERVICE = { width: 190, height: 64 };

const LAYOUT = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.spacing.nodeNode": "40",
  "elk.layered.spacing.nodeNodeBetweenLayers": "70",
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.padding": "[top=48,left=24,bottom=24,right=24]",
};

export async function layoutOp(doc: ArchDocument, catalog: Catalog): Promise<Op | null> {
  if (doc.nodes.length === 0) return null;
  const present = new Set(doc.nodes.map((n) => n.id));
  const children = new Map<string | null, ElkNode[]>();
  for (const n of doc.nodes) {
    const container = catalog.type(n.type)?.container ?? false;
    const parent = n.parent && present.has(n.parent) ? n.parent : null;
    const elkNode: ElkNode = container
      ? { id: n.id, layoutOptions: { "elk.padding": LAYOUT["elk.padding"] }, width: 200, height: 120 }
      : { id: n.id, ...SERVICE };
    children.set(parent, [...(children.get(parent) ?? []), elkNode]);
  }
  const attach = (node: ElkNode): ElkNode => {
    const kids = children.get(node.id);
    return kids ? { ...node, children: kids.map(attach) } : node;
  };
  const graph: ElkNode = {
    id: "root",
    layoutOptions: { ...LAYOUT, "elk.padding": "[top=40,left=40,bottom=40,right=40]" },
    children: (children.get(null) ?? []).map(attach),
    edges: doc.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const laid = await (await elk).layout(graph);
  const ops: Op[] = [];
  const visit = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      const container = Boolean(child.children?.length) || catalog.type(doc.nodes.find((n) => n.id === child.id)!.type)?.container;
      const set: Record<string, unknown> = { position: { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) } };
      if (container) set.size = { width: Math.round(child.width ?? 200), height: Math.round(child.height ?? 120) };
      ops.push({ type: "update_node", id: child.id, set });
      visit(child);
    }
  };
  visit(laid);
  return { type: "batch", ops };
}
