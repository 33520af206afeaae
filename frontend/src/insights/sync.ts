// Keeps the insights of the open architecture current: after each edit (debounced) it
// posts what the canvas shows to POST /api/estimate/ and POST /api/scan/. The first
// round waits until the canvas is drawn, so opening a big diagram is not slowed by it.
import { useCallback, useEffect, useRef } from "react";
import { api } from "../api/client";
import { useView } from "../document/store";
import { useInsights } from "./store";
import type { Estimate, ScanResult, Suppression } from "./types";

const DEBOUNCE_MS = 600;
const FIRST_ROUND_DELAY_MS = 1200;

export const suppressionsPath = (architectureId: string) => `/api/architectures/${architectureId}/suppressions/`;

export async function reloadSuppressions(architectureId: string): Promise<void> {
  useInsights.getState().setSuppressions(await api.get<Suppression[]>(suppressionsPath(architectureId)));
}

/** Latest-wins requests: an answer to an older request than the last one is dropped. */
function useLatest() {
  const counter = useRef(0);
  return useCallback(() => {
    const mine = ++counter.current;
    return () => mine === counter.current;
  }, []);
}

export function useInsightsSync(architectureId: string): void {
  const view = useView();
  const freeTier = useInsights((s) => s.freeTier);
  const growth = useInsights((s) => s.growth);
  const started = useRef(false);
  const nextEstimate = useLatest();
  const nextScan = useLatest();

  useEffect(() => {
    useInsights.getState().reset();
    reloadSuppressions(architectureId).catch(() => undefined);
    return () => useInsights.getState().reset();
  }, [architectureId]);

  useEffect(() => {
    if (!view) return;
    const store = useInsights.getState();
    const estimateCurrent = nextEstimate();
    const timer = window.setTimeout(async () => {
      started.current = true;
      store.setEstimate({ busy: true });
      try {
        const body = { document: view, free_tier: freeTier, growth: growth || null };
        const data = await api.post<Estimate>("/api/estimate/", body);
        if (estimateCurrent()) useInsights.getState().setEstimate({ data, error: null, busy: false });
      } catch (e) {
        if (estimateCurrent()) useInsights.getState().setEstimate({ error: (e as Error).message, busy: false });
      }
    }, started.current ? DEBOUNCE_MS : FIRST_ROUND_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [view, freeTier, growth, nextEstimate]);

  useEffect(() => {
    if (!view) return;
    const scanCurrent = nextScan();
    const timer = window.setTimeout(async () => {
      started.current = true;
      useInsights.getState().setFindings({ busy: true });
      try {
        const result = await api.post<ScanResult>("/api/scan/", { document: view });
        if (scanCurrent()) useInsights.getState().setFindings({ data: result.findings, error: null, busy: false });
      } catch (e) {
        if (scanCurrent()) useInsights.getState().setFindings({ error: (e as Error).message, busy: false });
      }
    }, started.current ? DEBOUNCE_MS : FIRST_ROUND_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [view, nextScan]);
}
