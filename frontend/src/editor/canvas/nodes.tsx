// The two node kinds on the canvas: a service (icon card) and a container (VPC,
// subnet) drawn as an AWS group box that other nodes are dropped into.
import { Handle, NodeResizer, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { GROUP_ICONS, iconUrl } from "../../catalog/icons";
import { useCatalog } from "../../catalog/store";
import { useUi } from "../../ui/store";
import { useSession } from "../../collab/context";
import { shortMoney, type NodeBadge } from "../../insights/badges";
import type { FlowNode } from "./toFlow";

function classes(data: FlowNode["data"], selected: boolean | undefined, base: string): string {
  return [
    base,
    selected && "is-selected",
    data.mark && `mark-${data.mark}`,
    data.accepts === true && "accepts",
    data.accepts === false && "refuses",
    data.ghost && "ghost",
  ]
    .filter(Boolean)
    .join(" ");
}

function PeerRing({ colors }: { colors: string[] }) {
  if (colors.length === 0) return null;
  return <div className="peer-ring" style={{ boxShadow: colors.map((c, i) => `0 0 0 ${2 + i * 2}px ${c}`).join(", ") }} />;
}

function Badges({ badge }: { badge: NodeBadge | undefined }) {
  if (!badge) return null;
  return (
    <div className="node-badges">
      {badge.hints ? (
        <span className={`hint-badge sev-${badge.worst}`} data-testid="hint-badge" title={`${badge.hints} open security finding${badge.hints > 1 ? "s" : ""}, worst ${badge.worst}`}>
          {badge.hints}
        </span>
      ) : null}
      {badge.cost !== undefined && (
        <span className={badge.costIncomplete ? "cost-badge incomplete" : "cost-badge"} data-testid="cost-badge" title={badge.costIncomplete ? "Some of this component's cost has no price in this region" : "Estimated monthly cost"}>
          {badge.cost === null ? "no price" : `${shortMoney(badge.cost)}${badge.costIncomplete ? "+" : ""}/mo`}
        </span>
      )}
    </div>
  );
}

// Far out a node is a plain tile: no icon, text or badges, only what edges attach to.
function ServiceTile({ data, selected }: Pick<NodeProps<FlowNode>, "data" | "selected">) {
  return (
    <div className={classes(data, selected, "service-node tile")} data-node-id={data.node.id} data-type={data.node.type}>
      <Handle type="target" position={Position.Left} className="handle" />
      <Handle type="source" position={Position.Right} className="handle" />
    </div>
  );
}

export const ServiceNode = memo(function ServiceNode({ data, selected }: NodeProps<FlowNode>) {
  const far = useUi((s) => s.far);
  return far ? <ServiceTile data={data} selected={selected} /> : <ServiceCard data={data} selected={selected} />;
});

function ServiceCard({ data, selected }: Pick<NodeProps<FlowNode>, "data" | "selected">) {
  const type = useCatalog((s) => s.catalog?.type(data.node.type));
  const connecting = useUi((s) => s.connectingFrom !== null);
  const icon = type ? iconUrl(type.icon) : undefined;
  return (
    <div className={classes(data, selected, "service-node")} data-node-id={data.node.id} data-type={data.node.type} title={type?.description}>
      <PeerRing colors={data.peerColors} />
      <Handle type="target" position={Position.Left} className="handle" />
      {connecting && <Handle type="target" position={Position.Top} className="drop-target" id="drop" />}
      {icon ? <img className="service-icon" src={icon} alt="" draggable={false} /> : <div className="service-icon placeholder" />}
      <div className="service-text">
        <div className="service-name">{data.node.name || type?.title || data.node.type}</div>
        <div className="service-type">{type?.title ?? data.node.type}</div>
      </div>
      <Badges badge={data.badge} />
      <Handle type="source" position={Position.Right} className="handle" />
    </div>
  );
}

export const ContainerNode = memo(function ContainerNode({ id, data, selected }: NodeProps<FlowNode>) {
  const type = useCatalog((s) => s.catalog?.type(data.node.type));
  const session = useSession();
  const isSubnet = data.node.type === "aws.ec2.subnet";
  const isPublic = isSubnet && Boolean(data.node.props?.public);
  const icon = data.node.type === "aws.ec2.vpc" ? GROUP_ICONS.vpc : isPublic ? GROUP_ICONS.publicSubnet : GROUP_ICONS.privateSubnet;
  const variant = data.node.type === "aws.ec2.vpc" ? "vpc" : isPublic ? "public" : "private";
  return (
    <div className={classes(data, selected, `container-node container-${variant}`)} data-node-id={data.node.id} data-type={data.node.type}>
      <PeerRing colors={data.peerColors} />
      {!data.ghost && (
        <NodeResizer
          isVisible={selected}
          minWidth={160}
          minHeight={100}
          lineClassName="resize-line"
          handleClassName="resize-handle"
          onResizeEnd={(_, p) =>
            session.apply({
              type: "update_node",
              id,
              set: { size: { width: Math.round(p.width), height: Math.round(p.height) }, position: { x: Math.round(p.x), y: Math.round(p.y) } },
            })
          }
        />
      )}
      <div className="container-header">
        <img src={icon} alt="" draggable={false} />
        <span className="container-name">{data.node.name || type?.title}</span>
        {isSubnet && <span className="container-tag">{isPublic ? "public" : "private"}</span>}
        {typeof data.node.props?.cidr_block === "string" && <span className="container-cidr">{data.node.props.cidr_block}</span>}
        <Badges badge={data.badge} />
      </div>
    </div>
  );
});

export const nodeTypes = { service: ServiceNode, container: ContainerNode };
