// The open architecture's session, for components deep in the editor.
import { createContext, useContext } from "react";
import type { CollabSession } from "./session";

export const SessionContext = createContext<CollabSession | null>(null);

export function useSession(): CollabSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside an open architecture");
  return session;
}
