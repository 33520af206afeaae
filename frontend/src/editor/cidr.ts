// Address ranges for subnets the editor adds or pastes. A VPC's subnets may not overlap,
// so a new one takes the first free block inside its VPC; the catalog default
// (10.0.0.0/24) would collide with the VPC's first subnet and the server would refuse it.
import type { Catalog } from "../catalog/catalog";
import type { ArchDocument } from "../document/types";

export const VPC = "aws.ec2.vpc";
export const SUBNET = "aws.ec2.subnet";

interface Block {
  start: number;
  size: number;
}

function parse(cidr: unknown): Block | null {
  if (typeof cidr !== "string") return null;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!match) return null;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return null;
  const address = octets.reduce((sum, o) => sum * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { start: address - (address % size), size };
}

function format(block: Block): string {
  const octets = [3, 2, 1, 0].map((i) => Math.floor(block.start / 256 ** i) % 256);
  return `${octets.join(".")}/${32 - Math.log2(block.size)}`;
}

/** The first block the size of `wanted` inside `vpcCidr` that overlaps none of `taken`;
 *  null when a range is malformed or the VPC is full (the server then names the clash). */
export function freeBlock(vpcCidr: unknown, wanted: unknown, taken: unknown[]): string | null {
  const vpc = parse(vpcCidr);
  const want = parse(wanted);
  if (!vpc || !want) return null;
  const size = Math.min(want.size, vpc.size);
  const used = taken.map(parse).filter((b): b is Block => b !== null);
  for (let start = vpc.start; start < vpc.start + vpc.size; start += size) {
    if (used.every((u) => start + size <= u.start || u.start + u.size <= start)) return format({ start, size });
  }
  return null;
}

/** A free range for a subnet of `wanted`'s size (the catalog default when absent) placed
 *  in `parentId`; null when the parent is not a VPC. `alsoTaken`: ranges given to other
 *  subnets in the same change. */
export function subnetRange(
  doc: ArchDocument,
  catalog: Catalog,
  parentId: string | null | undefined,
  wanted?: unknown,
  alsoTaken: unknown[] = [],
): string | null {
  const vpc = doc.nodes.find((n) => n.id === parentId);
  if (!vpc || vpc.type !== VPC) return null;
  const fallback = catalog.defaultProps(SUBNET).cidr_block;
  const siblings = doc.nodes
    .filter((n) => n.parent === vpc.id && n.type === SUBNET)
    .map((n) => n.props?.cidr_block ?? fallback);
  const vpcRange = vpc.props?.cidr_block ?? catalog.defaultProps(VPC).cidr_block;
  return freeBlock(vpcRange, wanted ?? fallback, [...siblings, ...alsoTaken]);
}
