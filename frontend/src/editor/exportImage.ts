// Export the diagram as PNG or SVG: the whole graph fitted into the image, not just
// what the viewport shows.
import { getNodesBounds, getViewportForBounds, type Node } from "@xyflow/react";
import { toPng, toSvg } from "html-to-image";

const PADDING = 0.08;

export async function exportDiagram(format: "png" | "svg", nodes: Node[], fileName: string): Promise<void> {
  const viewport = document.querySelector<HTMLElement>(".react-flow__viewport");
  if (!viewport || nodes.length === 0) throw new Error("There is nothing on the canvas to export.");
  const bounds = getNodesBounds(nodes);
  const width = Math.min(Math.max(bounds.width * 1.15, 800), 8000);
  const height = Math.min(Math.max(bounds.height * 1.15, 600), 8000);
  const fit = getViewportForBounds(bounds, width, height, 0.05, 2, PADDING);
  const options = {
    backgroundColor: "#ffffff",
    width,
    height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${fit.x}px, ${fit.y}px) scale(${fit.zoom})` },
    filter: (el: HTMLElement) => !el.classList?.contains("peer-cursor"),
  };
  const url = format === "png" ? await toPng(viewport, { ...options, pixelRatio: 2 }) : await toSvg(viewport, options);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${fileName}.${format}`;
  a.click();
}
