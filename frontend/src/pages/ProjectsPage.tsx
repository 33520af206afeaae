// The projects the user is a member of; create one.
import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, items } from "../api/client";
import type { Project } from "../api/models";
import { useUi } from "../ui/store";
import { Shell } from "./Shell";

export type { Project };

export function ProjectsPage() {
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [name, setName] = useState("");
  const notify = useUi((s) => s.notify);
  const navigate = useNavigate();

  useEffect(() => {
    api.get<Project[] | { results: Project[] }>("/api/projects/").then((p) => setProjects(items(p))).catch((e) => notify("error", (e as Error).message));
  }, [notify]);

  const create = async () => {
    if (!name.trim()) return;
    try {
      const project = await api.post<Project>("/api/projects/", { name: name.trim() });
      navigate(`/projects/${project.id}`);
    } catch (e) {
      notify("error", `Could not create the project: ${(e as Error).message}`);
    }
  };

  return (
    <Shell>
      <div className="page-head">
        <h1>Projects</h1>
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); create(); }}>
          <input aria-label="Project name" placeholder="New project name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
          <button className="primary" type="submit">Create project</button>
        </form>
      </div>
      {projects === null ? <p className="muted">Loading…</p> : projects.length === 0 ? (
        <div className="empty-state"><h3>No projects yet</h3><p>Create a project to start drawing architectures with your team.</p></div>
      ) : (
        <div className="card-grid">
          {projects.map((p) => (
            <Link key={p.id} to={`/projects/${p.id}`} className="card" data-testid="project-card">
              <h3>{p.name}</h3>
              {p.description && <p className="muted">{p.description}</p>}
              {p.role && <span className="tag">{p.role}</span>}
            </Link>
          ))}
        </div>
      )}
    </Shell>
  );
}
