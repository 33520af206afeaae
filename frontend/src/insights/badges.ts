// What the canvas draws on each node from the latest estimate and scan: pure, so the
// panel, the badges and the tests agree.
import { SEVERITIES, type Estimate, type Finding, type Severity, type Suppression } from "./types";

export interface NodeBadge {
  /** Monthly cost; null when some of it has no price (shown as incomplete). */
  cost?: number | null;
  costIncomplete?: boolean;
  /** Open (unsuppressed) findings on the node, and the worst of their severities. */
  hints?: number;
  worst?: Severity;
}

/** The stateless scan knows no suppressions: mark the findings an active one covers. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[], now = Date.now()): Finding[] {
  const live = suppressions.filter((s) => s.expires_at === null || Date.parse(s.expires_at) > now);
  return findings.map((f) => {
    const by = live.find((s) => s.rule_id === f.rule_id && (s.node_id === null || s.node_id === f.node_ids[0]));
    if (!by) return f.suppressed ? { ...f, suppressed: false, suppression: null } : f;
    const { active: _active, ...suppression } = by;
    return { ...f, suppressed: true, suppression };
  });
}

export function worstOf(a: Severity | undefined, b: Severity): Severity {
  return a === undefined || SEVERITIES.indexOf(b) < SEVERITIES.indexOf(a) ? b : a;
}

export function nodeBadges(estimate: Estimate | null, findings: Finding[] | null): Record<string, NodeBadge> {
  const out: Record<string, NodeBadge> = {};
  for (const [id, node] of Object.entries(estimate?.by_node ?? {})) {
    out[id] = { cost: node.monthly_cost, costIncomplete: node.missing > 0 };
  }
  for (const f of findings ?? []) {
    if (f.suppressed) continue;
    const id = f.node_ids[0];
    const badge = (out[id] ??= {});
    badge.hints = (badge.hints ?? 0) + 1;
    badge.worst = worstOf(badge.worst, f.severity);
  }
  return out;
}

export function sameBadge(a: NodeBadge | undefined, b: NodeBadge | undefined): boolean {
  return a?.cost === b?.cost && a?.costIncomplete === b?.costIncomplete && a?.hints === b?.hints && a?.worst === b?.worst;
}

/** Findings by severity, most severe first, suppressed ones last in their group. */
export function groupBySeverity(findings: Finding[]): [Severity, Finding[]][] {
  return SEVERITIES.map((s): [Severity, Finding[]] => [
    s,
    findings.filter((f) => f.severity === s).sort((a, b) => Number(a.suppressed) - Number(b.suppressed)),
  ]).filter(([, list]) => list.length > 0);
}

export function formatMoney(value: number | null | undefined, currency = "USD"): string {
  if (value === null || value === undefined) return "no price";
  const digits = value !== 0 && Math.abs(value) < 1 ? 4 : 2;
  return value.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: digits });
}

export function shortMoney(value: number): string {
  if (value >= 10_000) return `$${(value / 1000).toFixed(0)}k`;
  if (value >= 100) return `$${Math.round(value)}`;
  return `$${value.toFixed(2)}`;
}
