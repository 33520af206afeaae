// One project: its architectures (new from scratch or from a template) and members.
import { useCallback, useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, items } from "../api/client";
import { emptyDocument } from "../document/types";
import { useUi } from "../ui/store";
import type { ArchitectureSummary, Project } from "../api/models";
import { MembersSection } from "./MembersSection";
import { Shell } from "./Shell";

/** GET /api/templates/ (codegen/templates): not a serializer, so not in the schema. */
interface Template {
  id: string;
  name: string;
  description?: string;
  node_count?: number;
}

export function ProjectPage() {
  const { pid } = useParams();
  const navigate = useNavigate();
  const notify = useUi((s) => s.notify);
  const [project, setProject] = useState<Project | null>(null);
  const [archs, setArchs] = useState<ArchitectureSummary[] | null>(null);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [name, setName] = useState("");
  const [tab, setTab] = useState<"architectures" | "members">("architectures");

  const load = useCallback(async () => {
    try {
      const [p, a] = await Promise.all([
        api.get<Project>(`/api/projects/${pid}/`),
        api.get<ArchitectureSummary[] | { results: ArchitectureSummary[] }>(`/api/projects/${pid}/architectures/`),
      ]);
      setProject(p);
      setArchs(items(a));
    } catch (e) {
      notify("error", (e as Error).message);
    }
    api.get<Template[] | { results: Template[] }>("/api/templates/").then((t) => setTemplates(items(t))).catch(() => setTemplates([]));
  }, [pid, notify]);

  useEffect(() => {
    load();
  }, [load]);

  const create = async (body: Record<string, unknown>) => {
    try {
      const arch = await api.post<ArchitectureSummary>(`/api/projects/${pid}/architectures/`, body);
      navigate(`/architectures/${arch.id}`);
    } catch (e) {
      notify("error", `Could not create the architecture: ${(e as Error).message}`);
    }
  };

  const templateKey = (t: Template) => t.id;

  return (
    <Shell crumbs={<><Link to="/">Projects</Link> / <strong>{project?.name ?? "…"}</strong></>}>
      <div className="page-head">
        <h1>{project?.name}</h1>
        <nav className="tabs">
          <button className={tab === "architectures" ? "tab active" : "tab"} onClick={() => setTab("architectures")}>Architectures</button>
          <button className={tab === "members" ? "tab active" : "tab"} onClick={() => setTab("members")}>Members</button>
        </nav>
      </div>
      {tab === "members" && project && <MembersSection projectId={String(project.id)} />}
      {tab === "architectures" && (
        <>
          <section className="new-arch">
            <form className="inline-form" onSubmit={(e) => { e.preventDefault(); const n = name.trim() || "Untitled architecture"; create({ name: n, document: emptyDocument(n) }); }}>
              <input aria-label="Architecture name" placeholder="New architecture name" value={name} onChange={(e) => setName(e.target.value)} maxLength={128} />
              <button className="primary" type="submit">New blank architecture</button>
            </form>
            {templates.length > 0 && (
              <>
                <h3>Or start from a template</h3>
                <div className="card-grid templates">
                  {templates.map((t) => (
                    <button key={templateKey(t)} className="card template" data-testid="template" onClick={() => create({ name: t.name, template: templateKey(t) })}>
                      <h4>{t.name}</h4>
                      {t.description && <p className="muted small">{t.description}</p>}
                      {t.node_count !== undefined && <span className="tag">{t.node_count} components</span>}
                    </button>
                  ))}
                </div>
              </>
            )}
          </section>
          <h3>Architectures</h3>
          {archs === null ? <p className="muted">Loading…</p> : archs.length === 0 ? (
            <div className="empty-state"><p>No architectures yet.</p></div>
          ) : (
            <ul className="arch-list">
              {archs.map((a) => (
                <li key={a.id}>
                  <Link to={`/architectures/${a.id}`} data-testid="architecture-link">{a.name}</Link>
                  <span className="muted small">{a.updated_at ? `updated ${new Date(a.updated_at).toLocaleString()}` : ""}{a.revision !== undefined ? ` · rev ${a.revision}` : ""}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Shell>
  );
}
