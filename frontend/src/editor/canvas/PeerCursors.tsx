// Collaborators' cursors, drawn in flow coordinates so they follow pan and zoom.
import { ViewportPortal } from "@xyflow/react";
import { peerName, useCollab } from "../../collab/store";

export function PeerCursors() {
  const peers = useCollab((s) => s.peers);
  return (
    <ViewportPortal>
      {Object.values(peers)
        .filter((p) => p.cursor)
        .map((p) => (
          <div
            key={p.key}
            className="peer-cursor"
            style={{ transform: `translate(${p.cursor!.x}px, ${p.cursor!.y}px)`, color: p.color }}
          >
            <svg width="18" height="18" viewBox="0 0 18 18">
              <path d="M1 1 L1 14 L5 10.5 L8 17 L10.5 16 L7.5 9.5 L13 9.5 Z" fill="currentColor" stroke="white" strokeWidth="1.2" />
            </svg>
            <span style={{ background: p.color }}>{peerName(p.user)}</span>
          </div>
        ))}
    </ViewportPortal>
  );
}
