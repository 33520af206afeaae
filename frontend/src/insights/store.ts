// Cost and security insights for the open architecture: the latest estimate and scan
// of what the canvas shows, the stored suppressions, and the per-node badges derived
// from them. Separate from the document (never edited here) and from the UI state.
import { create } from "zustand";
import { applySuppressions, nodeBadges, type NodeBadge } from "./badges";
import type { Estimate, Finding, Suppression } from "./types";

export interface Fetched<T> {
  data: T | null;
  error: string | null;
  /** A request is in flight (the data shown may be one edit old). */
  busy: boolean;
}

interface InsightsStore {
  freeTier: boolean;
  /** Monthly growth rate for the whole document (0.05 is 5% a month). */
  growth: number;
  estimate: Fetched<Estimate>;
  /** The scan's findings, suppressions applied. */
  scan: Fetched<Finding[]>;
  rawFindings: Finding[] | null;
  suppressions: Suppression[];
  badges: Record<string, NodeBadge>;
  setOptions(options: Partial<Pick<InsightsStore, "freeTier" | "growth">>): void;
  setEstimate(patch: Partial<Fetched<Estimate>>): void;
  setFindings(patch: Partial<Fetched<Finding[]>>): void;
  setSuppressions(suppressions: Suppression[]): void;
  reset(): void;
}

const idle = { data: null, error: null, busy: false };

export const useInsights = create<InsightsStore>((set, get) => {
  const derive = (estimate: Fetched<Estimate>, rawFindings: Finding[] | null, suppressions: Suppression[]) => {
    const findings = rawFindings && applySuppressions(rawFindings, suppressions);
    return { findings, badges: nodeBadges(estimate.data, findings) };
  };
  return {
    freeTier: false,
    growth: 0,
    estimate: idle,
    scan: idle,
    rawFindings: null,
    suppressions: [],
    badges: {},
    setOptions: (options) => set(options),
    setEstimate: (patch) => {
      const estimate = { ...get().estimate, ...patch };
      set({ estimate, badges: derive(estimate, get().rawFindings, get().suppressions).badges });
    },
    setFindings: (patch) => {
      const rawFindings = patch.data !== undefined ? patch.data : get().rawFindings;
      const { findings, badges } = derive(get().estimate, rawFindings, get().suppressions);
      set({ rawFindings, scan: { ...get().scan, ...patch, data: findings }, badges });
    },
    setSuppressions: (suppressions) => {
      const { findings, badges } = derive(get().estimate, get().rawFindings, suppressions);
      set({ suppressions, scan: { ...get().scan, data: findings }, badges });
    },
    reset: () => set({ estimate: idle, scan: idle, rawFindings: null, suppressions: [], badges: {} }),
  };
});
