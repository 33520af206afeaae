// The canvas: the document drawn with React Flow. Local state holds only what React
// Flow needs between ops (measured sizes, positions mid-drag); every change the user
// makes leaves through the session as an op.
import {
  applyNodeChanges,
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type NodeChange,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from "react";
import { useCatalog } from "../../catalog/store";
import { useSession } from "../../collab/context";
import { useCollab } from "../../collab/store";
import { useDocumentStore, useView } from "../../document/store";
import { applyOp } from "../../document/reduce";
import type { Op, XY } from "../../document/types";
import { useInsights } from "../../insights/store";
import { useUi } from "../../ui/store";
import { addNodeOp, connectOp } from "../commands";
import { defaultSize, freeSpot, keepInside } from "./boxes";
import { PeerCursors } from "./PeerCursors";
import { dropTarget, relativeTo, absoluteRect } from "./geometry";
import { nodeTypes } from "./nodes";
import { toFlowEdges, toFlowNodes, type Decorations, type FlowNode } from "./toFlow";
import { FAR_ZOOM, fittingViewport, MIN_ZOOM, type Viewport } from "./viewport";

export const PALETTE_MIME = "application/x-cloudwright-type";
/** From this many nodes on, only what is in view is rendered, and far out as tiles. */
const LARGE = 300;
const isFar = (nodeCount: number, zoom: number) => nodeCount > LARGE && zoom < FAR_ZOOM;

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function Canvas() {
  const catalog = useCatalog((s) => s.catalog)!;
  const view = useView()!;
  const session = useSession();
  const flow = useReactFlow();
  const selectedNodes = useUi((s) => s.selectedNodes);
  const selectedEdges = useUi((s) => s.selectedEdges);
  const dragging = useUi((s) => s.dragging);
  const connectingFrom = useUi((s) => s.connectingFrom);
  const diff = useUi((s) => s.diff);
  const badges = useInsights((s) => s.badges);
  const peers = useCollab((s) => s.peers);
  const wrapper = useRef<HTMLDivElement>(null);
  // The opening viewport, computed before React Flow draws anything (viewport.ts).
  const [openAt, setOpenAt] = useState<Viewport | null>(null);
  const edgesRef = useRef<Edge[]>([]);

  const peerSelections = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const peer of Object.values(peers)) for (const id of peer.selection) map.set(id, [...(map.get(id) ?? []), peer.color]);
    return map;
  }, [peers]);

  const decorations = (): Decorations => {
    const marks = new Map<string, "added" | "changed">();
    diff?.added.forEach((id) => marks.set(id, "added"));
    diff?.changed.forEach((id) => marks.set(id, "changed"));
    const ghosts = diff ? [...diff.removedNodes] : [];
    return { selected: new Set(selectedNodes), marks, connectingFrom, badges, peerSelections, dragging, ghosts };
  };
  // Drawn in the first render, not in an effect after an empty one.
  const [nodes, setNodes] = useState<FlowNode[]>(() => toFlowNodes(view, catalog, decorations(), []));

  useEffect(() => {
    // decorations() reads exactly the dependencies listed.
    setNodes((prev) => toFlowNodes(view, catalog, decorations(), prev));
  }, [view, catalog, selectedNodes, diff, connectingFrom, badges, peerSelections, dragging]);

  useLayoutEffect(() => {
    const box = wrapper.current!.getBoundingClientRect();
    // An empty canvas opens at zoom 1: fitting nothing would jump at the first drop.
    const viewport = fittingViewport(view, box.width, box.height);
    useUi.getState().setFar(isFar(view.nodes.length, viewport.zoom));
    setOpenAt(viewport);
  }, []); // once, on open

  const onMove = useCallback(
    (_: unknown, viewport: Viewport) => useUi.getState().setFar(isFar(useDocumentStore.getState().sync?.view.nodes.length ?? 0, viewport.zoom)),
    [],
  );

  const edges = useMemo(() => {
    edgesRef.current = toFlowEdges(view, new Set(selectedEdges), edgesRef.current);
    return edgesRef.current;
  }, [view, selectedEdges]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    setNodes((prev) => applyNodeChanges(changes, prev));
  }, []);

  const onSelectionChange = useCallback(({ nodes: n, edges: e }: OnSelectionChangeParams) => {
    const ui = useUi.getState();
    const nodeIds = n.map((x) => x.id).filter((id) => !id.startsWith("ghost:"));
    const edgeIds = e.map((x) => x.id);
    if (!sameIds(nodeIds, ui.selectedNodes) || !sameIds(edgeIds, ui.selectedEdges)) ui.select(nodeIds, edgeIds);
  }, []);

  const docNode = (id: string) => useDocumentStore.getState().sync?.view.nodes.find((n) => n.id === id);

  const onNodeDragStart = useCallback((_: unknown, _node: FlowNode, dragged: FlowNode[]) => {
    useUi.getState().setDragging(dragged.map((n) => n.id));
  }, []);

  const onNodeDragStop = useCallback(
    (_: unknown, _node: FlowNode, dragged: FlowNode[]) => {
      const doc = useDocumentStore.getState().sync!.view;
      const movedIds = new Set(dragged.map((n) => n.id));
      const ops: Op[] = [];
      const placed: string[] = [];
      const refusals: string[] = [];
      for (const moved of dragged) {
        const node = docNode(moved.id);
        if (!node || (node.parent && movedIds.has(node.parent))) continue;
        const rect = absoluteRect(flow.getInternalNode, moved.id);
        if (!rect) continue;
        const center = { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
        const exclude = new Set([moved.id, ...doc.nodes.filter((n) => isInside(doc.nodes, n.id, moved.id)).map((n) => n.id)]);
        const target = dropTarget(doc, catalog, flow.getInternalNode, node.type, center, exclude);
        if (target.refusal) {
          refusals.push(target.refusal);
          continue;
        }
        const position = relativeTo(flow.getInternalNode, target.parent, { x: rect.x, y: rect.y });
        const set: Record<string, unknown> = { position };
        if ((node.parent ?? null) !== target.parent) set.parent = target.parent;
        ops.push({ type: "update_node", id: node.id, set });
        placed.push(node.id);
      }
      ops.push(...keepInside(ops.reduce(applyOp, doc), placed));
      useUi.getState().setDragging([]);
      if (refusals.length) useUi.getState().notify("error", refusals[0]);
      if (ops.length) session.apply(ops.length === 1 ? ops[0] : { type: "batch", ops });
    },
    [catalog, flow, session],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const doc = useDocumentStore.getState().sync!.view;
      const source = doc.nodes.find((n) => n.id === c.source);
      const target = doc.nodes.find((n) => n.id === c.target);
      if (!source || !target) return;
      const result = connectOp(doc, catalog, source, target);
      if (typeof result === "string") useUi.getState().notify("error", result);
      else session.apply(result);
    },
    [catalog, session],
  );

  const onConnectStart = useCallback((_: unknown, params: { nodeId: string | null }) => {
    const node = params.nodeId ? docNode(params.nodeId) : undefined;
    useUi.getState().setConnectingFrom(node?.type ?? null);
  }, []);

  const onConnectEnd = useCallback(
    (event: globalThis.MouseEvent | TouchEvent, state: { isValid: boolean | null; fromNode: { id: string } | null; toNode: { id: string } | null }) => {
      useUi.getState().setConnectingFrom(null);
      // Released on a node's body rather than a handle: connect anyway (Composer does).
      if (state.isValid || !state.fromNode) return;
      const point = "clientX" in event ? { x: event.clientX, y: event.clientY } : null;
      if (!point) return;
      const element = document.elementFromPoint(point.x, point.y)?.closest("[data-node-id]");
      const targetId = element?.getAttribute("data-node-id");
      if (targetId && targetId !== state.fromNode.id) onConnect({ source: state.fromNode.id, target: targetId, sourceHandle: null, targetHandle: null });
    },
    [onConnect],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(PALETTE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      event.preventDefault();
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // A container hangs from the pointer by its header; a service is centred on it.
      const size = defaultSize(type);
      const grab = catalog.type(type)?.container ? { x: 20, y: 20 } : { x: size.width / 2, y: size.height / 2 };
      addAt(type, point, { x: point.x - grab.x, y: point.y - grab.y });
    },
    [flow, catalog, session],
  );

  /** Add a node with its top-left corner at `topLeft`, into the container under `point`. */
  const addAt = (type: string, point: XY, topLeft: XY) => {
    const doc = useDocumentStore.getState().sync!.view;
    const target = dropTarget(doc, catalog, flow.getInternalNode, type, point);
    if (target.refusal) {
      useUi.getState().notify("error", target.refusal);
      return;
    }
    const op = addNodeOp(doc, catalog, type, relativeTo(flow.getInternalNode, target.parent, topLeft), target.parent);
    if (op.type !== "add_node") return;
    const fit = keepInside(applyOp(doc, op), [op.node.id]);
    if (session.apply(fit.length ? { type: "batch", ops: [op, ...fit] } : op)) useUi.getState().select([op.node.id]);
  };

  useEffect(() => {
    // A palette click: the free spot nearest the middle of the view.
    const onAdd = (e: Event) => {
      const { type } = (e as CustomEvent<{ type: string }>).detail;
      const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
      if (!pane) return;
      const doc = useDocumentStore.getState().sync!.view;
      const size = defaultSize(type);
      const center = flow.screenToFlowPosition({ x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 });
      const topLeft = freeSpot(doc, (n) => catalog.type(n.type)?.container ?? false, size, center);
      addAt(type, { x: topLeft.x + size.width / 2, y: topLeft.y + size.height / 2 }, topLeft);
    };
    window.addEventListener("cloudwright:add", onAdd);
    return () => window.removeEventListener("cloudwright:add", onAdd);
  });

  const onMouseMove = useCallback(
    (event: MouseEvent) => {
      session.presence(flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }), useUi.getState().selectedNodes);
    },
    [flow, session],
  );

  useEffect(() => {
    session.presence(null, selectedNodes);
  }, [session, selectedNodes]);

  const large = view.nodes.length > LARGE;
  const far = useUi((s) => s.far);

  return (
    <div ref={wrapper} className={far ? "canvas far" : "canvas"} onDragOver={onDragOver} onDrop={onDrop} onMouseMove={onMouseMove} onMouseLeave={() => session.presence(null, selectedNodes)}>
      {openAt && <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onSelectionChange={onSelectionChange}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        connectionLineType={ConnectionLineType.SmoothStep}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control", "Shift"]}
        selectionOnDrag={false}
        panOnScroll
        onlyRenderVisibleElements={large}
        minZoom={MIN_ZOOM}
        maxZoom={2.5}
        defaultViewport={openAt}
        onMove={onMove}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#c9ced6" />
        <MiniMap pannable zoomable className={large ? "minimap-large" : undefined} nodeColor={(n) => (n.type === "container" ? "#e7f5ec" : "#ff9900")} nodeStrokeColor="#8b95a1" />
        <Controls showInteractive={false} />
        <PeerCursors />
      </ReactFlow>}
      {view.nodes.length === 0 && (
        <div className="canvas-empty">
          <h3>Start your architecture</h3>
          <p>Drag a service from the left panel onto the canvas, or click one to add it here.</p>
        </div>
      )}
    </div>
  );
}

function isInside(nodes: { id: string; parent?: string | null }[], id: string, ancestor: string): boolean {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let current = byId.get(id)?.parent;
  for (let i = 0; current && i < 32; i++) {
    if (current === ancestor) return true;
    current = byId.get(current)?.parent;
  }
  return false;
}
