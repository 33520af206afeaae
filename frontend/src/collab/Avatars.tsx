// Who else has this architecture open.
import { peerName, useCollab } from "./store";

export function Avatars() {
  const peers = useCollab((s) => s.peers);
  const list = Object.values(peers);
  return (
    <div className="avatars" data-testid="avatars">
      {list.map((p) => (
        <span key={p.key} className="avatar" style={{ background: p.color }} title={peerName(p.user)}>
          {peerName(p.user).slice(0, 1).toUpperCase()}
        </span>
      ))}
    </div>
  );
}
