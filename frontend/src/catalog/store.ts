// The catalog, fetched once per page load and shared.
import { create } from "zustand";
import { api } from "../api/client";
import { Catalog } from "./catalog";
import type { CatalogJson } from "./types";

interface CatalogStore {
  catalog: Catalog | null;
  error: string | null;
  load(): Promise<void>;
}

export const useCatalog = create<CatalogStore>((set, get) => ({
  catalog: null,
  error: null,
  load: async () => {
    if (get().catalog) return;
    try {
      set({ catalog: new Catalog(await api.get<CatalogJson>("/api/catalog/")), error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
}));
