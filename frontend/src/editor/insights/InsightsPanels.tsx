// Cost and security hints for the current view, from the stateless endpoints
// (POST /api/estimate/ and /api/scan/). If they are not deployed yet, say so.
import { useEffect, useState } from "react";
import { api, ApiError } from "../../api/client";
import { useView } from "../../document/store";
import { useUi } from "../../ui/store";

const DEBOUNCE_MS = 800;

interface CostLine {
  node_id?: string;
  monthly?: number;
  monthly_usd?: number;
  total?: number;
  name?: string;
  description?: string;
}

interface Estimate {
  total?: number;
  monthly_total?: number;
  total_monthly_usd?: number;
  currency?: string;
  nodes?: Record<string, number | { monthly?: number; total?: number }>;
  lines?: CostLine[];
  items?: CostLine[];
}

interface Finding {
  id?: string;
  rule_id?: string;
  rule?: string;
  severity?: string;
  title?: string;
  message?: string;
  node_id?: string;
  edge_id?: string;
  remediation?: string;
}

function useDebouncedPost<T>(path: string, extra: Record<string, unknown> = {}): { data: T | null; error: string | null } {
  const view = useView()!;
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(extra);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const body = await api.post<T>(path, { document: view, ...JSON.parse(key) });
        if (live) { setData(body); setError(null); }
      } catch (e) {
        if (!live) return;
        setError((e as ApiError).status === 404 ? "Not available on this server yet." : (e as Error).message);
      }
    }, DEBOUNCE_MS);
    return () => { live = false; clearTimeout(timer); };
  }, [view, path, key]);
  return { data, error };
}

function perNode(estimate: Estimate): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, v] of Object.entries(estimate.nodes ?? {})) out[id] = typeof v === "number" ? v : (v.monthly ?? v.total ?? 0);
  for (const line of [...(estimate.lines ?? []), ...(estimate.items ?? [])]) {
    if (line.node_id) out[line.node_id] = (out[line.node_id] ?? 0) + (line.monthly ?? line.monthly_usd ?? line.total ?? 0);
  }
  return out;
}

const money = (n: number) => n.toLocaleString(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 2 });

export function CostPanel() {
  const view = useView()!;
  const setCosts = useUi((s) => s.setCosts);
  const { data, error } = useDebouncedPost<Estimate>("/api/estimate/");
  const costs = data ? perNode(data) : {};
  useEffect(() => {
    setCosts(data ? perNode(data) : {});
    return () => setCosts({});
  }, [data, setCosts]);
  if (error) return <div className="panel-empty">Cost estimate: {error}</div>;
  if (!data) return <div className="panel-empty">Estimating…</div>;
  const total = data.total ?? data.monthly_total ?? data.total_monthly_usd ?? Object.values(costs).reduce((a, b) => a + b, 0);
  const byName = new Map(view.nodes.map((n) => [n.id, n.name]));
  return (
    <div className="cost-panel" data-testid="cost-panel">
      <div className="cost-total"><span>{money(total)}</span><small>per month, estimated</small></div>
      <ul className="cost-lines">
        {Object.entries(costs).sort((a, b) => b[1] - a[1]).map(([id, cost]) => (
          <li key={id} onClick={() => useUi.getState().select([id])}>
            <span>{byName.get(id) ?? id}</span><span>{money(cost)}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">Edit a component's usage to refine the forecast.</p>
    </div>
  );
}

export function HintsPanel() {
  const { data, error } = useDebouncedPost<Finding[] | { findings: Finding[] }>("/api/scan/");
  if (error) return <div className="panel-empty">Security hints: {error}</div>;
  if (!data) return <div className="panel-empty">Scanning…</div>;
  const findings = Array.isArray(data) ? data : data.findings;
  if (findings.length === 0) return <div className="panel-empty">No findings. Nice.</div>;
  return (
    <ul className="findings" data-testid="findings">
      {findings.map((f, i) => (
        <li
          key={`${f.rule_id ?? f.id ?? f.rule}-${f.node_id ?? f.edge_id}-${i}`}
          className={`finding severity-${(f.severity ?? "info").toLowerCase()}`}
          onClick={() => useUi.getState().select(f.node_id ? [f.node_id] : [], f.edge_id ? [f.edge_id] : [])}
        >
          <div className="finding-head"><span className="severity">{f.severity ?? "info"}</span> {f.title ?? f.rule_id ?? f.rule}</div>
          <div className="small">{f.message}</div>
          {f.remediation && <div className="muted small">{f.remediation}</div>}
        </li>
      ))}
    </ul>
  );
}
