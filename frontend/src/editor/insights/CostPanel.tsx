// The cost panel: the monthly total of what the canvas shows, per-service bars, the
// 12-month forecast in three scenarios, per-node costs, unpriced items and assumptions
// (docs/cost.md, "The panel's JSON").
import { formatMoney } from "../../insights/badges";
import { useInsights } from "../../insights/store";
import type { Estimate, ScenarioName } from "../../insights/types";
import { useUi } from "../../ui/store";
import { ForecastChart } from "./ForecastChart";

const SCENARIOS: ScenarioName[] = ["low", "expected", "high"];

function Options({ architectureId }: { architectureId: string }) {
  const freeTier = useInsights((s) => s.freeTier);
  const growth = useInsights((s) => s.growth);
  const setOptions = useInsights((s) => s.setOptions);
  const csv = `/api/architectures/${architectureId}/estimate.csv?free_tier=${freeTier}${growth ? `&growth=${growth}` : ""}`;
  return (
    <div className="cost-options">
      <label className="switch">
        <input type="checkbox" checked={freeTier} onChange={(e) => setOptions({ freeTier: e.target.checked })} /> Free tier
      </label>
      <label className="growth">
        Growth
        <input
          type="number" aria-label="Monthly growth %" min={-99} max={1000} step={1}
          value={Math.round(growth * 100)}
          onChange={(e) => setOptions({ growth: Math.min(10, Math.max(-0.99, Number(e.target.value) / 100 || 0)) })}
        />
        % / month
      </label>
      <a href={csv} download title="Line items of the saved architecture as CSV">CSV</a>
    </div>
  );
}

function Breakdown({ estimate }: { estimate: Estimate }) {
  const select = useUi((s) => s.select);
  const top = Math.max(...estimate.by_service.map((s) => s.monthly_cost ?? 0), 0.0001);
  const nodes = Object.entries(estimate.by_node).sort((a, b) => (b[1].monthly_cost ?? Infinity) - (a[1].monthly_cost ?? Infinity));
  return (
    <>
      <h4>By service</h4>
      <ul className="service-bars" data-testid="service-bars">
        {estimate.by_service.map((s) => (
          <li key={s.service}>
            <span className="bar-label">{s.service}</span>
            <span className="bar"><i style={{ width: `${((s.monthly_cost ?? 0) / top) * 100}%` }} /></span>
            <span className="bar-value">{formatMoney(s.monthly_cost, estimate.currency)}</span>
          </li>
        ))}
      </ul>
      <h4>By component</h4>
      <ul className="cost-lines">
        {nodes.map(([id, n]) => (
          <li key={id} onClick={() => select([id])} className={n.missing ? "incomplete" : undefined}>
            <span>{n.label}</span>
            <span>{formatMoney(n.monthly_cost, estimate.currency)}{n.missing ? ` + ${n.missing} unpriced` : ""}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

export function CostPanel({ architectureId }: { architectureId: string }) {
  const { data: estimate, error, busy } = useInsights((s) => s.estimate);
  const select = useUi((s) => s.select);
  return (
    <div className="cost-panel" data-testid="cost-panel">
      <Options architectureId={architectureId} />
      {error && <div className="panel-error">Cost estimate failed: {error}</div>}
      {!estimate && !error && <div className="panel-empty">Estimating…</div>}
      {estimate && (
        <div className={busy ? "stale" : undefined}>
          <div className="cost-total">
            <span data-testid="cost-total">{formatMoney(estimate.monthly_total, estimate.currency)}</span>
            <small>
              per month in {estimate.region}, list prices{estimate.free_tier ? " less the free tier" : ""} (collected {estimate.prices_collected})
            </small>
          </div>
          {!estimate.complete && (
            <div className="cost-incomplete" data-testid="cost-incomplete">
              Incomplete: {estimate.missing.length} item{estimate.missing.length === 1 ? " has" : "s have"} no price and {estimate.missing.length === 1 ? "is" : "are"} left out of the total.
            </div>
          )}
          <h4>Next 12 months</h4>
          <div className="scenarios">
            {SCENARIOS.map((name) => {
              const scenario = estimate.scenarios[name];
              const last = scenario.forecast[scenario.forecast.length - 1];
              return (
                <div key={name} className={`scenario scenario-${name}`}>
                  <small>{name}</small>
                  <strong>{formatMoney(scenario.monthly_total, estimate.currency)}</strong>
                  <small>month {last?.month ?? 12}: {formatMoney(last?.total, estimate.currency)}</small>
                </div>
              );
            })}
          </div>
          <ForecastChart series={{ low: estimate.scenarios.low.forecast, expected: estimate.forecast, high: estimate.scenarios.high.forecast }} />
          <Breakdown estimate={estimate} />
          {estimate.missing.length > 0 && (
            <>
              <h4>No price</h4>
              <ul className="missing-prices">
                {estimate.missing.map((m) => (
                  <li key={`${m.node_id}-${m.price_ref}`} onClick={() => select([m.node_id])}>{m.message}</li>
                ))}
              </ul>
            </>
          )}
          {estimate.assumptions.length > 0 && (
            <details className="assumptions">
              <summary>Assumptions ({estimate.assumptions.length})</summary>
              <ul>{estimate.assumptions.map((a) => <li key={a}>{a}</li>)}</ul>
            </details>
          )}
        </div>
      )}
    </div>
  );
}
