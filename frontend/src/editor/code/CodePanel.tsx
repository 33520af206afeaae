// Terraform and CDK generated from the current view, refreshed (debounced) as the
// user edits; download the repository as a zip or push it to git (both are jobs).
import { useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError } from "../../api/client";
import type { GeneratedFiles } from "../../api/models";
import { useView } from "../../document/store";
import { downloadUrl, followJob, type Job } from "../../jobs/jobs";
import { useUi } from "../../ui/store";
import { fileEntries, formatSize } from "./files";
import { highlight } from "./highlight";

type Target = "terraform" | "cdk";
const DEBOUNCE_MS = 500;

function JobStatus({ job }: { job: Job | null }) {
  if (!job) return null;
  const text = job.state === "failed" ? `Failed: ${job.error || job.message || "see the server log"}` : job.message || job.state;
  return (
    <div className={`job-status job-${job.state}`} data-testid="job-status">
      {job.state !== "failed" && job.state !== "succeeded" && <progress max={100} value={job.progress ?? 0} />}
      <span>{text}</span>
    </div>
  );
}

export function CodePanel({ architectureId }: { architectureId: string }) {
  const view = useView()!;
  const notify = useUi((s) => s.notify);
  const [target, setTarget] = useState<Target>("terraform");
  const [files, setFiles] = useState<Record<Target, GeneratedFiles | null>>({ terraform: null, cdk: null });
  const [errors, setErrors] = useState<string[]>([]);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [gitForm, setGitForm] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const body = await api.post<GeneratedFiles>("/api/preview/", { document: view, target });
        if (mine !== seq.current) return;
        setFiles((f) => ({ ...f, [target]: body }));
        setErrors([]);
      } catch (e) {
        if (mine !== seq.current) return;
        const err = e as ApiError;
        setErrors(err.errors?.length ? err.errors.map((x) => (x.node_id ? `${x.node_id}: ${x.message}` : x.message)) : [err.message]);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [view, target]);

  const current = files[target];
  const entries = useMemo(() => (current ? fileEntries(current) : []), [current]);
  const shown = entries.find((e) => e.path === selected) ?? entries[0] ?? null;
  const text = shown && current && shown.binarySize === undefined ? current.files[shown.path] : null;
  const html = useMemo(() => (shown && text !== null ? highlight(text, shown.path) : ""), [shown, text]);

  const runJob = async (path: string, body: Record<string, unknown>, done: (job: Job) => void) => {
    try {
      const started = await api.post<Job>(path, body);
      setJob(started);
      const finished = await followJob(started.id, setJob);
      if (finished.state === "succeeded") done(finished);
      else notify("error", `The job failed: ${finished.error || finished.message || "no reason given"}`);
    } catch (e) {
      notify("error", (e as Error).message);
    }
  };

  const download = () =>
    runJob(`/api/architectures/${architectureId}/exports/`, { target }, (j) => {
      window.location.assign(j.download_url ?? downloadUrl(j.id));
    });

  return (
    <div className="code-panel" data-testid="code-panel">
      <div className="tabs">
        {(["terraform", "cdk"] as Target[]).map((t) => (
          <button key={t} className={t === target ? "tab active" : "tab"} onClick={() => setTarget(t)} role="tab" aria-selected={t === target}>
            {t === "terraform" ? "Terraform" : "CDK (Python)"}
          </button>
        ))}
        <span className="spacer" />
        {loading && <span className="muted small">updating…</span>}
      </div>
      <div className="code-actions">
        <button onClick={download}>Download .zip</button>
        <button onClick={() => setGitForm((v) => !v)}>Push to git…</button>
      </div>
      {gitForm && (
        <form
          className="git-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const fields = Object.fromEntries([...form.entries()].filter(([, v]) => v !== ""));
            runJob(`/api/architectures/${architectureId}/git-push/`, { target, ...fields }, (j) => {
              notify("success", j.message || "Pushed to git.");
              setGitForm(false);
            });
          }}
        >
          <label>Remote URL<input name="remote_url" required placeholder="https://git.example.com/team/infra.git" /></label>
          <label>Branch<input name="branch" defaultValue="main" required pattern="[A-Za-z0-9._/\-]{1,100}" /></label>
          <label>Username (optional)<input name="username" autoComplete="off" /></label>
          <label>Password or token (optional)<input name="password" type="password" autoComplete="off" /></label>
          <button type="submit" className="primary">Push</button>
        </form>
      )}
      <JobStatus job={job} />
      {errors.length > 0 && (
        <div className="code-errors" role="alert">
          <strong>The code cannot be generated yet:</strong>
          <ul>{errors.map((e) => <li key={e}>{e}</li>)}</ul>
        </div>
      )}
      {current && (
        <div className="code-body">
          <nav className="file-list" aria-label="Generated files">
            {entries.map(({ path, binarySize }) => (
              <button
                key={path}
                className={`file${path === shown?.path ? " active" : ""}${binarySize === undefined ? "" : " binary"}`}
                onClick={() => setSelected(path)}
                title={binarySize === undefined ? path : `${path}: binary, ${binarySize} bytes`}
              >
                {path}
                {binarySize !== undefined && <span className="file-size">{formatSize(binarySize)}</span>}
              </button>
            ))}
          </nav>
          {shown?.binarySize !== undefined ? (
            <div className="binary-note" data-testid="binary-note">
              <strong>{shown.path}</strong> is a binary file ({shown.binarySize} bytes), so it is not shown here. The
              downloaded .zip and the git push include it.
            </div>
          ) : (
            <pre className="code" data-testid="code"><code dangerouslySetInnerHTML={{ __html: html }} /></pre>
          )}
        </div>
      )}
      {!current && errors.length === 0 && <div className="panel-empty">Generating…</div>}
    </div>
  );
}
