import { describe, expect, it } from "vitest";
import { applySuppressions, groupBySeverity, nodeBadges } from "./badges";
import type { Estimate, Finding, Suppression } from "./types";

function finding(rule_id: string, node: string, severity: Finding["severity"]): Finding {
  return {
    rule_id, severity, category: "encryption", title: rule_id, node_ids: [node], edge_ids: [],
    rationale: "", remediation: "", controls: {}, fix: null, suppressed: false, suppression: null,
  };
}

const suppression = (rule_id: string, node_id: string | null, expires_at: string | null = null): Suppression => ({
  id: 1, rule_id, node_id, reason: "accepted", author: "ana", created_at: "2026-01-01T00:00:00Z", expires_at, active: true,
});

const estimate = {
  by_node: { fn: { label: "Fn", type: "aws.lambda.function", monthly_cost: 12.5, missing: 0 },
             db: { label: "Db", type: "aws.dynamodb.table", monthly_cost: 3, missing: 1 } },
} as unknown as Estimate;

describe("node badges", () => {
  it("count open findings per node with the worst severity, and carry the cost", () => {
    const badges = nodeBadges(estimate, [finding("A", "fn", "low"), finding("B", "fn", "high"), finding("C", "db", "medium")]);
    expect(badges.fn).toEqual({ cost: 12.5, costIncomplete: false, hints: 2, worst: "high" });
    expect(badges.db).toEqual({ cost: 3, costIncomplete: true, hints: 1, worst: "medium" });
  });

  it("leave suppressed findings out of the count", () => {
    const findings = applySuppressions([finding("A", "fn", "high"), finding("B", "fn", "low")], [suppression("A", "fn")]);
    expect(nodeBadges(null, findings).fn).toEqual({ hints: 1, worst: "low" });
  });
});

describe("suppressions on the stateless scan", () => {
  it("cover one node, or every node when node_id is null", () => {
    const [onFn, onDb] = applySuppressions([finding("A", "fn", "high"), finding("A", "db", "high")], [suppression("A", "fn")]);
    expect(onFn.suppressed && onFn.suppression?.reason).toBe("accepted");
    expect(onDb.suppressed).toBe(false);
    expect(applySuppressions([finding("A", "db", "high")], [suppression("A", null)])[0].suppressed).toBe(true);
  });

  it("stop applying once expired", () => {
    const expired = suppression("A", "fn", "2026-01-02T00:00:00Z");
    const now = Date.parse("2026-01-03T00:00:00Z");
    expect(applySuppressions([finding("A", "fn", "high")], [expired], now)[0].suppressed).toBe(false);
  });
});

it("groups findings by severity, most severe first, suppressed last in a group", () => {
  const [a, b, c] = [finding("A", "x", "low"), finding("B", "x", "critical"), finding("C", "x", "low")];
  const groups = groupBySeverity([{ ...a, suppressed: true }, b, c]);
  expect(groups.map(([s, list]) => [s, list.map((f) => f.rule_id)])).toEqual([["critical", ["B"]], ["low", ["C", "A"]]]);
});
