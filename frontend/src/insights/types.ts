// The insights endpoints' answers: the cost panel JSON (docs/cost.md, "The panel's
// JSON") and findings and suppressions (docs/security.md).

export interface CostItem {
  node_id: string;
  service: string;
  description: string;
  quantity: number | null;
  unit: string;
  /** null when there is no price for it in the region. */
  unit_price: number | null;
  monthly_cost: number | null;
  code: string;
  price_ref: string;
  free_quantity: number;
  implied: boolean;
  missing: string | null;
  source?: string | null;
  as_of?: string | null;
}

export interface ForecastPoint {
  month: number;
  total: number | null;
}

export type ScenarioName = "low" | "expected" | "high";

export interface Estimate {
  currency: string;
  region: string;
  free_tier: boolean;
  prices_collected: string;
  monthly_total: number | null;
  complete: boolean;
  items: CostItem[];
  by_service: { service: string; monthly_cost: number | null }[];
  by_node: Record<string, { label: string; type: string; monthly_cost: number | null; missing: number }>;
  forecast: ForecastPoint[];
  scenarios: Record<ScenarioName, { monthly_total: number | null; forecast: ForecastPoint[] }>;
  growth: Record<string, number> | null;
  missing: { node_id: string; price_ref: string; message: string }[];
  assumptions: string[];
}

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export const SEVERITIES: Severity[] = ["critical", "high", "medium", "low", "info"];

export interface Suppression {
  id: number;
  rule_id: string;
  /** null: the rule is suppressed on every node. */
  node_id: string | null;
  reason: string;
  author: string | null;
  created_at: string;
  expires_at: string | null;
  active: boolean;
}

export interface Finding {
  rule_id: string;
  severity: Severity;
  category: string;
  title: string;
  /** The first is the node the rule fired on (the badge goes there). */
  node_ids: string[];
  edge_ids: string[];
  rationale: string;
  remediation: string;
  controls: Record<string, string>;
  /** A list of collaboration ops, or null when the rule offers no automatic fix. */
  fix: unknown[] | null;
  suppressed: boolean;
  suppression: Omit<Suppression, "active"> | null;
}

export interface ScanResult {
  summary: Record<Severity | "suppressed", number>;
  findings: Finding[];
}

export interface DeepFinding {
  tool: string;
  check_id: string;
  title: string;
  severity: string;
  node_ids: string[];
  resource: string;
  rule_id: string | null;
  guideline: string | null;
}

export interface DeepScanResult {
  revision: number;
  findings: DeepFinding[];
  errors: { tool: string; message: string }[];
  tools: Record<string, number>;
}
