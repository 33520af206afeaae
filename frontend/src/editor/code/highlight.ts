// Syntax highlighting with Prism, bundled (works offline): HCL for Terraform, Python
// for the CDK app and Python Lambda handlers, JavaScript for Node handlers, plus JSON
// and YAML for the files next to them.
import Prism from "prismjs";
import "prismjs/components/prism-hcl";
import "prismjs/components/prism-python";
import "prismjs/components/prism-typescript";
import "prismjs/components/prism-json";
import "prismjs/components/prism-yaml";
import "prismjs/components/prism-bash";

const BY_EXTENSION: Record<string, string> = {
  tf: "hcl", hcl: "hcl", tfvars: "hcl", py: "python", ts: "typescript", js: "javascript",
  mjs: "javascript", json: "json", yaml: "yaml", yml: "yaml", sh: "bash",
};

export function languageOf(path: string): string | null {
  const ext = path.split(".").pop()?.toLowerCase() ?? "";
  return BY_EXTENSION[ext] ?? null;
}

export function highlight(code: string, path: string): string {
  const language = languageOf(path);
  const grammar = language ? Prism.languages[language] : undefined;
  if (!grammar) return code.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return Prism.highlight(code, grammar, language!);
}
