// The hints panel: security findings of what the canvas shows, grouped by severity.
// Clicking one selects its nodes; "Fix" applies the finding's patch on the server (it
// comes back over the socket as a `fix` snapshot); "Suppress" records a reason and an
// optional expiry, after which the finding stays listed, greyed, with who and why.
import { useState } from "react";
import { api, ApiError } from "../../api/client";
import { useDocumentStore, useView } from "../../document/store";
import { followJob, type Job } from "../../jobs/jobs";
import { groupBySeverity } from "../../insights/badges";
import { useInsights } from "../../insights/store";
import { reloadSuppressions, suppressionsPath } from "../../insights/sync";
import type { DeepScanResult, Finding } from "../../insights/types";
import { useUi } from "../../ui/store";

const findingKey = (f: Finding) => `${f.rule_id}:${f.node_ids[0]}`;

function SuppressForm({ finding, architectureId, onDone }: { finding: Finding; architectureId: string; onDone(): void }) {
  const [reason, setReason] = useState("");
  const [expires, setExpires] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await api.post(suppressionsPath(architectureId), {
        rule_id: finding.rule_id,
        node_id: finding.node_ids[0],
        reason: reason.trim(),
        expires_at: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
      });
      await reloadSuppressions(architectureId);
      onDone();
    } catch (e) {
      useUi.getState().notify("error", `Could not suppress ${finding.rule_id}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="suppress-form" onClick={(e) => e.stopPropagation()} onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <textarea aria-label="Reason" placeholder="Why is this acceptable here?" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} required />
      <label className="small">Expires (optional) <input type="date" aria-label="Expires" value={expires} onChange={(e) => setExpires(e.target.value)} /></label>
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !reason.trim()}>Suppress finding</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}

function FindingItem({ finding, architectureId, readOnly }: { finding: Finding; architectureId: string; readOnly: boolean }) {
  const [suppressing, setSuppressing] = useState(false);
  const [fixing, setFixing] = useState(false);
  const view = useView();
  const names = finding.node_ids.map((id) => view?.nodes.find((n) => n.id === id)?.name ?? id);
  const notify = useUi((s) => s.notify);

  const fix = async () => {
    setFixing(true);
    try {
      await api.post(`/api/architectures/${architectureId}/findings/apply-fix/`, {
        rule_id: finding.rule_id,
        node_ids: finding.node_ids,
        revision: useDocumentStore.getState().sync?.revision,
      });
    } catch (e) {
      const stale = e instanceof ApiError && e.status === 409;
      notify("error", `Could not apply the fix for ${finding.rule_id}: ${stale ? "the architecture changed meanwhile; the hints will refresh, try again." : (e as Error).message}`);
      setFixing(false);
    }
  };

  const unsuppress = async () => {
    if (!finding.suppression?.id) return;
    try {
      await api.delete(`${suppressionsPath(architectureId)}${finding.suppression.id}/`);
      await reloadSuppressions(architectureId);
    } catch (e) {
      notify("error", `Could not remove the suppression: ${(e as Error).message}`);
    }
  };

  const s = finding.suppression;
  return (
    <li
      className={`finding severity-${finding.severity}${finding.suppressed ? " suppressed" : ""}`}
      data-testid="finding" data-rule={finding.rule_id} data-node={finding.node_ids[0]}
      onClick={() => useUi.getState().select(finding.node_ids, finding.edge_ids)}
    >
      <div className="finding-head">
        <span className="finding-title">{finding.title}</span>
        <span className="muted small mono rule-id">{finding.rule_id}</span>
      </div>
      <div className="small">on <strong>{names[0]}</strong>{names.length > 1 ? ` (with ${names.slice(1).join(", ")})` : ""}</div>
      {finding.suppressed && s ? (
        <div className="suppression small" data-testid="suppression">
          Suppressed by {s.author ?? "a former member"}: “{s.reason}”{s.expires_at ? ` until ${new Date(s.expires_at).toLocaleDateString()}` : ""}
          {!readOnly && <button className="link-button" onClick={(e) => { e.stopPropagation(); unsuppress(); }}>Unsuppress</button>}
        </div>
      ) : (
        <>
          <div className="muted small">{finding.remediation}</div>
          {!readOnly && (
            <div className="finding-actions" onClick={(e) => e.stopPropagation()}>
              {finding.fix && <button className="primary" onClick={fix} disabled={fixing}>{fixing ? "Fixing…" : "Fix"}</button>}
              <button onClick={() => setSuppressing((v) => !v)}>Suppress</button>
            </div>
          )}
          {suppressing && <SuppressForm finding={finding} architectureId={architectureId} onDone={() => setSuppressing(false)} />}
        </>
      )}
    </li>
  );
}

function DeepScan({ architectureId }: { architectureId: string }) {
  const [job, setJob] = useState<Job | null>(null);
  const running = job !== null && job.state !== "succeeded" && job.state !== "failed";
  const start = async () => {
    try {
      const started = await api.post<Job>(`/api/architectures/${architectureId}/deep-scans/`);
      setJob(started);
      await followJob(started.id, setJob);
    } catch (e) {
      useUi.getState().notify("error", `The deep scan could not run: ${(e as Error).message}`);
    }
  };
  const result = job?.state === "succeeded" ? (job.result as DeepScanResult) : null;
  return (
    <div className="deep-scan" data-testid="deep-scan">
      <button onClick={start} disabled={running} title="checkov on the Terraform and cdk-nag on the CDK app, on the saved architecture">
        {running ? "Deep scan running…" : "Deep scan"}
      </button>
      {running && (
        <div className="progress small">
          <span className="bar"><i style={{ width: `${job.progress ?? 0}%` }} /></span> {job.message || job.state}
        </div>
      )}
      {job?.state === "failed" && <div className="panel-error">Deep scan failed: {job.error || job.message}</div>}
      {result && (
        <div className="small">
          <p>
            Revision {result.revision}: {result.findings.length} finding{result.findings.length === 1 ? "" : "s"}
            {Object.entries(result.tools).map(([tool, n]) => ` · ${tool} ${n}`).join("")}
          </p>
          {result.errors.map((e) => <p key={e.tool} className="danger-text">{e.tool}: {e.message}</p>)}
          <ul className="deep-findings">
            {result.findings.map((f, i) => (
              <li key={`${f.tool}-${f.check_id}-${f.resource}-${i}`} onClick={() => f.node_ids.length && useUi.getState().select(f.node_ids)}>
                <span className={`sev sev-${f.severity}`}>{f.severity}</span> <span className="mono rule-id">{f.check_id}</span> {f.title}
                <span className="muted"> — {f.node_ids.join(", ") || f.resource}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export function HintsPanel({ architectureId, readOnly }: { architectureId: string; readOnly: boolean }) {
  const { data: findings, error, busy } = useInsights((s) => s.scan);
  const open = findings?.filter((f) => !f.suppressed).length ?? 0;
  return (
    <div className="hints-panel" data-testid="hints-panel">
      <div className="hints-head">
        <span>{findings ? `${open} open, ${findings.length - open} suppressed` : ""}</span>
        <DeepScan architectureId={architectureId} />
      </div>
      {error && <div className="panel-error">Security scan failed: {error}</div>}
      {!findings && !error && <div className="panel-empty">Scanning…</div>}
      {findings?.length === 0 && <div className="panel-empty">No findings.</div>}
      <div className={busy ? "stale" : undefined}>
        {findings && groupBySeverity(findings).map(([severity, list]) => (
          <section key={severity} className="severity-group">
            <h4 className={`sev sev-${severity}`}>{severity} · {list.length}</h4>
            <ul className="findings" data-testid="findings">
              {list.map((f) => <FindingItem key={findingKey(f)} finding={f} architectureId={architectureId} readOnly={readOnly} />)}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
