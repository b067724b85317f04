/**
 * The official OCDS 1.1 schemas (test/fixtures/ocds/schema-1.1/, draft-04) through ajv-draft-04.
 * Every schema file is added under its own `id`, so the package schema's `$ref` to the release
 * schema's URL resolves locally; nothing is fetched. The two formats the schemas use are checked
 * here (ajv-formats is not installed): `date-time` as RFC 3339, `uri` as anything `URL` parses.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";

// ajv-draft-04 is CommonJS: under NodeNext the default import is its module.exports, whose
// `default` is the Ajv class (the same object at run time).
const Ajv = AjvDraft04.default;

const SCHEMA_DIR = new URL("../../../fixtures/ocds/schema-1.1/", import.meta.url).pathname;
const RELEASE_PACKAGE = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

function createValidator() {
  // strict: false because the OCDS schemas carry their own keywords (codelist, deprecated,
  // omitWhenMerged, …), which are annotations, not rules.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("date-time", {
    type: "string",
    validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)),
  });
  ajv.addFormat("uri", { type: "string", validate: (s: string) => URL.canParse(s) });
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".json"))) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")) as object);
  }
  const validate = ajv.getSchema(RELEASE_PACKAGE);
  if (!validate) throw new Error(`schema ${RELEASE_PACKAGE} not found in ${SCHEMA_DIR}`);
  return validate;
}

let validator: ReturnType<typeof createValidator> | undefined;

/** Problems of a release package against the OCDS 1.1 schema; empty when it is valid. */
export function releasePackageProblems(data: unknown): string[] {
  validator ??= createValidator();
  if (validator(data)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}
