// The 12-month forecast as a small SVG line chart: the expected scenario drawn solid,
// low and high as a band around it.
import type { ForecastPoint, ScenarioName } from "../../insights/types";
import { shortMoney } from "../../insights/badges";

const W = 300;
const H = 140;
const PAD = { left: 44, right: 8, top: 10, bottom: 22 };

export function ForecastChart({ series }: { series: Record<ScenarioName, ForecastPoint[]> }) {
  const all = Object.values(series).flat().map((p) => p.total ?? 0);
  const max = Math.max(...all, 0.01);
  const months = series.expected.length;
  const x = (month: number) => PAD.left + ((month - 1) / Math.max(months - 1, 1)) * (W - PAD.left - PAD.right);
  const y = (value: number | null) => PAD.top + (1 - (value ?? 0) / max) * (H - PAD.top - PAD.bottom);
  const line = (points: ForecastPoint[]) => points.map((p, i) => `${i ? "L" : "M"}${x(p.month).toFixed(1)},${y(p.total).toFixed(1)}`).join(" ");
  const band = `${line(series.high)} ${[...series.low].reverse().map((p) => `L${x(p.month).toFixed(1)},${y(p.total).toFixed(1)}`).join(" ")} Z`;
  return (
    <svg className="forecast-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="12-month cost forecast" data-testid="forecast-chart">
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} className="grid" />
          <text x={PAD.left - 4} y={y(max * f) + 3} textAnchor="end">{shortMoney(max * f)}</text>
        </g>
      ))}
      {series.expected.map((p) => (p.month === 1 || p.month % 3 === 0 ? <text key={p.month} x={x(p.month)} y={H - 6} textAnchor="middle">M{p.month}</text> : null))}
      <path d={band} className="band" />
      <path d={line(series.low)} className="low" />
      <path d={line(series.high)} className="high" />
      <path d={line(series.expected)} className="expected" />
    </svg>
  );
}
