// Who is signed in.
import { create } from "zustand";
import { api, ApiError } from "../api/client";
import type { User } from "../api/models";

export type Me = User;

interface AuthStore {
  me: Me | null;
  checked: boolean;
  refresh(): Promise<void>;
  login(username: string, password: string): Promise<void>;
  signup(username: string, email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

async function ensureCsrf() {
  if (!document.cookie.includes("csrftoken=")) await api.get("/api/auth/csrf/").catch(() => undefined);
}

export const useAuth = create<AuthStore>((set) => ({
  me: null,
  checked: false,
  refresh: async () => {
    await ensureCsrf();
    try {
      const me = await api.get<Me>("/api/auth/me/");
      set({ me: me?.username ? me : null, checked: true });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      set({ me: null, checked: true });
    }
  },
  login: async (username, password) => {
    await ensureCsrf();
    await api.post("/api/auth/login/", { username, password });
    await useAuth.getState().refresh();
  },
  signup: async (username, email, password) => {
    await ensureCsrf();
    await api.post("/api/auth/signup/", { username, email, password });
    await useAuth.getState().refresh();
  },
  logout: async () => {
    await api.post("/api/auth/logout/").catch(() => undefined);
    set({ me: null });
  },
}));
