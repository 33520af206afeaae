// The two node kinds on the canvas: a service (icon card) and a container (VPC,
// subnet) drawn as an AWS group box that other nodes are dropped into.
import { Handle, NodeResizer, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { GROUP_ICONS, iconUrl } from "../../catalog/icons";
import { useCatalog } from "../../catalog/store";
import { useUi } from "../../ui/store";
import { useSession } from "../../collab/context";
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

function formatCost(cost: number): string {
  return cost >= 100 ? `$${Math.round(cost)}` : `$${cost.toFixed(2)}`;
}

export const ServiceNode = memo(function ServiceNode({ data, selected }: NodeProps<FlowNode>) {
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
      {data.cost !== undefined && <div className="cost-badge">{formatCost(data.cost)}/mo</div>}
      <Handle type="source" position={Position.Right} className="handle" />
    </div>
  );
});

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
      </div>
    </div>
  );
});

export const nodeTypes = { service: ServiceNode, container: ContainerNode };
