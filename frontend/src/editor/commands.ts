// Editing commands: each builds the op(s) for one user action. They read the current
// view and the catalog, and never touch the store directly: the session applies them.
import type { Catalog } from "../catalog/catalog";
import { withDescendants } from "../document/reduce";
import type { ArchDocument, DocEdge, DocNode, Op, XY } from "../document/types";
import { SUBNET, subnetRange } from "./cidr";

const ID_SAFE = /[^A-Za-z0-9_-]/g;

export function newId(prefix: string, taken: Set<string>): string {
  const base = prefix.replace(ID_SAFE, "_").slice(0, 40) || "node";
  for (;;) {
    const id = `${base}_${Math.random().toString(36).slice(2, 7)}`;
    if (!taken.has(id)) return id;
  }
}

function takenIds(doc: ArchDocument): Set<string> {
  return new Set([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id)]);
}

/**
 * `name`, or when a node has it, the next free number after it: "Subnet" gives
 * "Subnet 2", and duplicating "Subnet 2" gives "Subnet 3" (not "Subnet 2 2"), as in
 * Figma and Miro. Adds the name given to `taken`, so one paste gives no name twice.
 */
export function uniqueName(taken: Set<string>, name: string): string {
  const numbered = /^(.*\S)\s+(\d{1,9})$/.exec(name);
  const [base, first] = numbered ? [numbered[1], Number(numbered[2]) + 1] : [name, 2];
  let free = name;
  for (let i = first; taken.has(free); i++) free = `${base} ${i}`;
  taken.add(free);
  return free;
}

const nodeNames = (doc: ArchDocument) => new Set(doc.nodes.map((n) => n.name));

export function addNodeOp(doc: ArchDocument, catalog: Catalog, type: string, position: XY, parent: string | null): Op {
  const t = catalog.type(type);
  const short = type.split(".").pop() ?? "node";
  const node: DocNode = {
    id: newId(short, takenIds(doc)),
    type,
    name: uniqueName(nodeNames(doc), t?.title ?? short),
    parent,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    props: {},
  };
  const range = type === SUBNET ? subnetRange(doc, catalog, parent) : null;
  if (range) node.props = { cidr_block: range };
  return { type: "add_node", node };
}

export function connectOp(doc: ArchDocument, catalog: Catalog, source: DocNode, target: DocNode): Op | string {
  if (source.id === target.id) return "A component cannot connect to itself.";
  const rule = catalog.ruleFor(source.type, target.type);
  if (!rule) return catalog.refusal(source.type, target.type);
  if (doc.edges.some((e) => e.source === source.id && e.target === target.id)) {
    return `${source.name} is already connected to ${target.name}.`;
  }
  const edge: DocEdge = { id: newId("e", takenIds(doc)), source: source.id, target: target.id };
  if (rule.access) {
    const levels = catalog.type(target.type)?.access_levels ?? [];
    edge.access = (levels.includes("read_write") ? "read_write" : levels[0]) as DocEdge["access"];
  }
  return { type: "add_edge", edge };
}

/** Deleting nodes takes their contents and connections with them; one undo step. */
export function deleteOp(doc: ArchDocument, nodeIds: string[], edgeIds: string[]): Op | null {
  const gone = withDescendants(doc, nodeIds);
  const roots = nodeIds.filter((id) => {
    const node = doc.nodes.find((n) => n.id === id);
    return node && !(node.parent && gone.has(node.parent) && nodeIds.includes(node.parent));
  });
  const ops: Op[] = [
    ...edgeIds
      .filter((id) => {
        const e = doc.edges.find((x) => x.id === id);
        return e && !gone.has(e.source) && !gone.has(e.target);
      })
      .map((id): Op => ({ type: "delete_edge", id })),
    ...roots.map((id): Op => ({ type: "delete_node", id })),
  ];
  if (ops.length === 0) return null;
  return ops.length === 1 ? ops[0] : { type: "batch", ops };
}

export interface Clip {
  nodes: DocNode[];
  edges: DocEdge[];
}

export function copySelection(doc: ArchDocument, nodeIds: string[]): Clip | null {
  if (nodeIds.length === 0) return null;
  const ids = withDescendants(doc, nodeIds);
  return {
    nodes: doc.nodes.filter((n) => ids.has(n.id)),
    edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/** Paste with fresh ids, offset so the copy is visible; returns the op and the new ids.
 *  A subnet pasted into an existing VPC takes a free range of its size there. */
export function pasteOp(doc: ArchDocument, catalog: Catalog, clip: Clip, offset = 40): { op: Op; ids: string[] } {
  const taken = takenIds(doc);
  const rename = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = newId(n.id.replace(/_[a-z0-9]{5}$/, ""), taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const existing = new Set(doc.nodes.map((n) => n.id));
  const names = nodeNames(doc);
  const given: unknown[] = [];
  const nodes = clip.nodes.map((n): DocNode => {
    const parentCopied = n.parent && rename.has(n.parent);
    const parent = parentCopied ? rename.get(n.parent!)! : n.parent && existing.has(n.parent) ? n.parent : null;
    const range = n.type === SUBNET && !parentCopied ? subnetRange(doc, catalog, parent, n.props?.cidr_block, given) : null;
    if (range) given.push(range);
    return {
      ...n,
      id: rename.get(n.id)!,
      name: uniqueName(names, n.name),
      parent,
      position: parentCopied ? n.position : { x: n.position.x + offset, y: n.position.y + offset },
      ...(range ? { props: { ...n.props, cidr_block: range } } : {}),
    };
  });
  const edges = clip.edges.map((e): DocEdge => {
    const id = newId("e", taken);
    taken.add(id);
    return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)! };
  });
  const ops: Op[] = [
    ...nodes.map((node): Op => ({ type: "add_node", node })),
    ...edges.map((edge): Op => ({ type: "add_edge", edge })),
  ];
  return { op: { type: "batch", ops }, ids: nodes.map((n) => n.id) };
}
