// The editor of one architecture: palette, canvas, side panels, over one
// collaboration session.
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { api } from "../api/client";
import { useAuth } from "../auth/store";
import { useCatalog } from "../catalog/store";
import { Avatars } from "../collab/Avatars";
import { ConnectionBanner } from "../collab/ConnectionBanner";
import { SessionContext, useSession } from "../collab/context";
import { CollabSession } from "../collab/session";
import { useCollab } from "../collab/store";
import { useUndo } from "../collab/undo";
import { useDocumentStore, useView } from "../document/store";
import type { Architecture } from "../api/models";
import { useUi, type SidePanel } from "../ui/store";
import { Canvas } from "./canvas/Canvas";
import { FIT } from "./canvas/viewport";
import { exportDiagram } from "./exportImage";
import { useInsightsSync } from "../insights/sync";
import { layoutOp } from "./layout";
import { Palette } from "./palette/Palette";
import { PropertiesPanel } from "./properties/PropertiesPanel";
import { SHORTCUTS, useShortcuts } from "./useShortcuts";

// Panels other than properties load on first use: opening a big diagram does not wait
// for their code (Prism, charts) to be parsed.
const CodePanel = lazy(() => import("./code/CodePanel").then((m) => ({ default: m.CodePanel })));
const VersionsPanel = lazy(() => import("./versions/VersionsPanel").then((m) => ({ default: m.VersionsPanel })));
const CostPanel = lazy(() => import("./insights/CostPanel").then((m) => ({ default: m.CostPanel })));
const HintsPanel = lazy(() => import("./insights/HintsPanel").then((m) => ({ default: m.HintsPanel })));


const PANELS: [SidePanel, string][] = [
  ["properties", "Properties"],
  ["code", "Code"],
  ["versions", "Versions"],
  ["cost", "Cost"],
  ["hints", "Hints"],
];

const STATUS_TEXT = { connecting: "Connecting…", online: "Live", reconnected: "Live", offline: "Offline" };

function Toolbar({ arch, readOnly }: { arch: Architecture; readOnly: boolean }) {
  const session = useSession();
  const flow = useReactFlow();
  const catalog = useCatalog((s) => s.catalog)!;
  const status = useCollab((s) => s.status);
  const pending = useDocumentStore((s) => s.sync?.pending.length ?? 0);
  const [help, setHelp] = useState(false);
  const notify = useUi((s) => s.notify);
  const name = useDocumentStore((s) => s.name);
  const { canUndo, canRedo } = useUndo();

  const layout = useCallback(async () => {
    const doc = useDocumentStore.getState().sync?.view;
    if (!doc) return;
    const op = await layoutOp(doc, catalog);
    if (op && session.apply(op)) setTimeout(() => flow.fitView(FIT), 50);
  }, [catalog, flow, session]);
  useShortcuts(readOnly, layout);

  const exportAs = (format: "png" | "svg") =>
    exportDiagram(format, flow.getNodes(), name.replace(/[^\w-]+/g, "_") || "architecture").catch((e) => notify("error", `Export failed: ${(e as Error).message}`));

  const projectId = arch.project_id;
  return (
    <header className="editor-bar">
      <Link to={projectId ? `/projects/${projectId}` : "/"} className="back" aria-label="Back to project">‹</Link>
      <div className="editor-title">
        <strong data-testid="architecture-name">{name}</strong>
        <span className={`status status-${status}`} data-testid="connection-status">
          <i />{STATUS_TEXT[status]}{pending > 0 && status !== "offline" ? " · saving…" : status !== "offline" ? " · saved" : ""}
        </span>
        {readOnly && <span className="tag">view only</span>}
      </div>
      <div className="toolbar-buttons">
        <button onClick={() => session.undo()} disabled={readOnly || !canUndo} title={canUndo ? "Undo (Ctrl+Z)" : "Nothing of yours to undo"}>Undo</button>
        <button onClick={() => session.redo()} disabled={readOnly || !canRedo} title={canRedo ? "Redo (Ctrl+Shift+Z)" : "Nothing to redo"}>Redo</button>
        <span className="sep" />
        <button onClick={layout} disabled={readOnly} title="Auto-layout (Shift+L)">Auto-layout</button>
        <button onClick={() => flow.fitView(FIT)} title="Zoom to fit (Shift+1)">Fit</button>
        <span className="sep" />
        <button onClick={() => exportAs("png")}>PNG</button>
        <button onClick={() => exportAs("svg")}>SVG</button>
        <button onClick={() => setHelp((h) => !h)} title="Keyboard shortcuts">?</button>
      </div>
      <Avatars />
      {help && (
        <div className="shortcut-help" onClick={() => setHelp(false)}>
          <h4>Keyboard shortcuts</h4>
          <table><tbody>{SHORTCUTS.map(([k, v]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{v}</td></tr>)}</tbody></table>
        </div>
      )}
    </header>
  );
}

function SidePanels({ arch, readOnly }: { arch: Architecture; readOnly: boolean }) {
  useInsightsSync(String(arch.id));
  const panel = useUi((s) => s.panel);
  const setPanel = useUi((s) => s.setPanel);
  return (
    <aside className="side">
      <nav className="tabs side-tabs" role="tablist">
        {PANELS.map(([id, label]) => (
          <button key={id} role="tab" aria-selected={panel === id} className={panel === id ? "tab active" : "tab"} onClick={() => setPanel(id)}>
            {label}
          </button>
        ))}
      </nav>
      <div className="side-body">
        <Suspense fallback={<div className="panel-empty">Loading…</div>}>
          {panel === "properties" && <PropertiesPanel readOnly={readOnly} />}
          {panel === "code" && <CodePanel architectureId={String(arch.id)} />}
          {panel === "versions" && <VersionsPanel architectureId={String(arch.id)} readOnly={readOnly} />}
          {panel === "cost" && <CostPanel architectureId={String(arch.id)} />}
          {panel === "hints" && <HintsPanel architectureId={String(arch.id)} readOnly={readOnly} />}
        </Suspense>
      </div>
    </aside>
  );
}

export function EditorPage() {
  const { aid } = useParams();
  const me = useAuth((s) => s.me);
  const catalog = useCatalog((s) => s.catalog);
  const catalogError = useCatalog((s) => s.error);
  const loadCatalog = useCatalog((s) => s.load);
  const view = useView();
  // The room tells each member their role; a viewer gets a read-only editor.
  const myRole = useCollab((s) => s.myRole);
  const [arch, setArch] = useState<Architecture | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [session, setSession] = useState<CollabSession | null>(null);

  useEffect(() => {
    loadCatalog();
  }, [loadCatalog]);

  useEffect(() => {
    if (!aid) return;
    let live = true;
    useUi.setState({ selectedNodes: [], selectedEdges: [], diff: null });
    // The socket and the REST read start together; whichever document arrives first is
    // drawn, and the other is kept only if it is newer (document/store.ts).
    const created = new CollabSession(aid, me ? { id: me.id, username: me.username } : null);
    setSession(created);
    api
      .get<Architecture>(`/api/architectures/${aid}/`)
      .then((a) => {
        if (!live) return;
        setArch(a);
        useDocumentStore.getState().load(String(a.id), a.name, a.document, a.revision);
      })
      .catch((e) => live && setError((e as Error).message));
    return () => {
      live = false;
      created.close();
      useDocumentStore.getState().reset();
    };
  }, [aid, me]);

  if (error || catalogError) return <div className="page-error">Could not open this architecture: {error ?? catalogError}</div>;
  if (!arch || !catalog || !session || !view) return <div className="page-loading">Opening the architecture…</div>;
  const readOnly = myRole === "viewer";
  return (
    <SessionContext.Provider value={session}>
      <ReactFlowProvider>
        <div className="editor" data-testid="editor">
          <Toolbar arch={arch} readOnly={readOnly} />
          <ConnectionBanner />
          <div className="editor-main">
            <Palette readOnly={readOnly} />
            <Canvas />
            <SidePanels arch={arch} readOnly={readOnly} />
          </div>
        </div>
      </ReactFlowProvider>
    </SessionContext.Provider>
  );
}
