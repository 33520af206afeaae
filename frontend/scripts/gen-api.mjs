// Regenerate src/api/schema.d.ts from the Django API's OpenAPI schema.
// Usage: npm run gen:api [-- path/to/schema.yaml]
// Without a path it exports the schema with `manage.py spectacular` first.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(frontend, "..");
let schema = process.argv[2];
if (!schema) {
  schema = join(mkdtempSync(join(tmpdir(), "cw-schema-")), "schema.yaml");
  const python = process.env.PYTHON ?? join(root, ".venv/bin/python");
  execFileSync(python, ["manage.py", "spectacular", "--file", schema], { cwd: root, stdio: "inherit" });
}
execFileSync(
  join(frontend, "node_modules/.bin/openapi-typescript"),
  [resolve(schema), "-o", join(frontend, "src/api/schema.d.ts")],
  { stdio: "inherit" },
);
