// The generated repository as the code panel lists it: text files to read, and binary
// files (the Terraform functions' zips), which JSON cannot carry, by their size only.
import type { GeneratedFiles } from "../../api/models";

export interface FileEntry {
  path: string;
  /** Size in bytes of a binary file; undefined for a text file. */
  binarySize?: number;
}

/** Every file, text and binary, sorted by path. */
export function fileEntries(generated: GeneratedFiles): FileEntry[] {
  const text: FileEntry[] = Object.keys(generated.files).map((path) => ({ path }));
  const binary: FileEntry[] = Object.entries(generated.binary_files).map(([path, binarySize]) => ({ path, binarySize }));
  return [...text, ...binary].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A size as people read it: bytes below 1 KB, then KB and MB with one decimal. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
