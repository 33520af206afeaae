// Says plainly when edits cannot reach the server, and when they can again.
import { useEffect, useState } from "react";
import { useDocumentStore } from "../document/store";
import { useCollab } from "./store";

export function ConnectionBanner() {
  const status = useCollab((s) => s.status);
  const pending = useDocumentStore((s) => s.sync?.pending.length ?? 0);
  const [showBack, setShowBack] = useState(false);
  useEffect(() => {
    if (status !== "reconnected") return;
    setShowBack(true);
    const t = setTimeout(() => setShowBack(false), 4000);
    return () => clearTimeout(t);
  }, [status]);
  if (status === "offline") {
    return (
      <div className="banner banner-offline" role="alert" data-testid="banner-offline">
        Connection lost. Reconnecting… {pending > 0 ? `${pending} unsaved change${pending > 1 ? "s" : ""} will be sent when it is back.` : "Your edits are kept."}
      </div>
    );
  }
  if (showBack && status === "reconnected") {
    return <div className="banner banner-online" role="status" data-testid="banner-online">Back online. Everything is synced.</div>;
  }
  return null;
}
