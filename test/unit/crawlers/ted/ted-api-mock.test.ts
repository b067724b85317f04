/**
 * Keeps the msw model and the client's schemas honest against the official OpenAPI document
 * (test/fixtures/ted-api-v3/). No YAML parser is a dependency of the project, so the few blocks
 * needed are cut out of the text by indentation, which is regular in this generated document.
 * Then the mock is exercised directly: invalid bodies get the documented 400 shape, valid ones
 * get a documented `ExpertSearchResponse`.
 */
import { readFileSync } from "node:fs";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  TED_ERROR_TYPES,
  TedNoticeLinks,
  TedSearchRequest,
} from "../../../../crawlers/ted/ted-api.schemas.js";
import {
  createTedApiHandlers,
  DOCUMENTED_PAGINATION_MODES,
  DOCUMENTED_SCOPES,
  DocumentedSearchRequest,
  DocumentedSearchResponse,
  knownTedFields,
  loadTedDemoCorpus,
} from "../../../mocks/ted-api.js";

const YAML = readFileSync(
  new URL("../../../fixtures/ted-api-v3/ted-europa-eu-search-api-v3.openapi.yaml", import.meta.url),
  "utf8",
).split("\n");

const indentOf = (line: string) => line.length - line.trimStart().length;

/** The lines under `key:` at `indent`, up to the next line at the same or a lower indent. */
function block(lines: string[], key: string, indent: number): string[] {
  const start = lines.findIndex((l) => l === `${" ".repeat(indent)}${key}:`);
  if (start < 0) throw new Error(`no ${key} at indent ${indent}`);
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== "" && indentOf(line) <= indent) break;
    out.push(line);
  }
  return out;
}

/** Keys exactly at `indent` in a block. */
function keys(lines: string[], indent: number): string[] {
  const re = new RegExp(`^ {${indent}}([A-Za-z][\\w()-]*):`);
  return lines.flatMap((l) => re.exec(l)?.[1] ?? []);
}

/** The `- item` list under `key:` at `indent`. */
function list(lines: string[], key: string, indent: number): string[] {
  return block(lines, key, indent).flatMap(
    (l) => /^\s*- (.+)$/.exec(l)?.[1]?.replace(/^'(.*)'$/, "$1") ?? [],
  );
}

const schemas = block(YAML, "schemas", 2);
const schema = (name: string) => block(schemas, name, 4);
const property = (schemaName: string, name: string) =>
  block(block(schema(schemaName), "properties", 6), name, 8);

describe("the OpenAPI document", () => {
  it("documents the endpoint the client calls", () => {
    expect(YAML).toContain("  - url: https://api.ted.europa.eu/");
    const path = block(block(YAML, "paths", 0), "/v3/notices/search", 2);
    expect(keys(path, 4)).toEqual(["post"]);
    const statuses = block(path, "responses", 6).flatMap((l) => /^ {8}'(\d{3})':/.exec(l)?.[1] ?? []);
    expect(statuses).toEqual(["200", "400", "500"]);
  });

  it("has the request schema the mock and the client enforce", () => {
    const request = schema("PublicExpertSearchRequestV1");
    const documented = keys(block(request, "properties", 6), 8);
    expect(documented.sort()).toEqual(Object.keys(DocumentedSearchRequest.shape).sort());
    expect(Object.keys(TedSearchRequest.shape).sort()).toEqual(documented.sort());
    expect(list(request, "required", 6).sort()).toEqual(["fields", "query"]);
    expect(list(property("PublicExpertSearchRequestV1", "scope"), "enum", 10)).toEqual([
      ...DOCUMENTED_SCOPES,
    ]);
    expect(list(property("PublicExpertSearchRequestV1", "paginationMode"), "enum", 10)).toEqual([
      ...DOCUMENTED_PAGINATION_MODES,
    ]);
    expect(property("PublicExpertSearchRequestV1", "page")).toContain("          minimum: 1");
    const limit = property("PublicExpertSearchRequestV1", "limit");
    expect(limit).toContain("          minimum: 0");
    expect(limit.join(" ")).toMatch(/up to 250 notices per page, and 10000 fields per\s+page/);
  });

  it("lists the same field names as search-fields.csv", () => {
    const fields = property("PublicExpertSearchRequestV1", "fields");
    const enumerated = new Set(list(fields, "enum", 10));
    expect(enumerated.size).toBeGreaterThan(1000);
    expect(enumerated).toEqual(knownTedFields());
    const notice = keys(block(schema("NoticeResponse"), "properties", 6), 8);
    expect(new Set(notice)).toEqual(knownTedFields());
  });

  it("describes links the way the client reads them", () => {
    const links = block(block(schema("NoticeResponse"), "properties", 6), "links", 8);
    expect(keys(block(links, "properties", 10), 12).sort()).toEqual(Object.keys(TedNoticeLinks.shape).sort());
  });

  it("has the response schema the mock sends", () => {
    const response = keys(block(schema("ExpertSearchResponse"), "properties", 6), 8);
    expect(response.sort()).toEqual(Object.keys(DocumentedSearchResponse.shape).sort());
    expect(keys(block(schema("ErrorResponse"), "properties", 6), 8)).toEqual(["message", "error"]);
  });

  it("lists the 400 error types the client knows", () => {
    const oneOf = block(
      block(block(block(YAML, "paths", 0), "/v3/notices/search", 2), "post", 4),
      "responses",
      6,
    );
    const refs = block(oneOf, "'400'", 8).flatMap((l) => /schemas\/(\w+)'/.exec(l)?.[1] ?? []);
    const types = refs.flatMap((name) =>
      name === "UnsupportedValueException"
        ? list(property("UnsupportedValueError", "type"), "enum", 10)
        : name === "QueryInvalidFieldFormatDetails" || name.endsWith("Error")
          ? list(property(name, "type"), "enum", 10)
          : [],
    );
    expect(types.sort()).toEqual([...TED_ERROR_TYPES].sort());
  });
});

describe("the msw model", () => {
  const mock = createTedApiHandlers(loadTedDemoCorpus());
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => mock.reset());
  afterAll(() => server.close());

  const post = async (body: unknown) => {
    const response = await fetch("https://api.ted.europa.eu/v3/notices/search", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it.each([
    ["no fields", { query: "buyer-country IN (DNK)" }],
    ["no query", { fields: ["publication-number"] }],
    ["limit over 250", { query: "buyer-country IN (DNK)", fields: ["publication-number"], limit: 251 }],
    ["negative limit", { query: "buyer-country IN (DNK)", fields: ["publication-number"], limit: -1 }],
    ["page 0", { query: "buyer-country IN (DNK)", fields: ["publication-number"], page: 0 }],
    [
      "unknown mode",
      { query: "buyer-country IN (DNK)", fields: ["publication-number"], paginationMode: "SCROLL" },
    ],
    [
      "unknown scope",
      { query: "buyer-country IN (DNK)", fields: ["publication-number"], scope: "EVERYTHING" },
    ],
    ["unknown property", { query: "buyer-country IN (DNK)", fields: ["publication-number"], pageSize: 5 }],
    ["unknown field", { query: "buyer-country IN (DNK)", fields: ["publication-numbr"] }],
    ["duplicate fields", { query: "buyer-country IN (DNK)", fields: ["links", "links"] }],
    [
      "token in PAGE_NUMBER mode",
      { query: "buyer-country IN (DNK)", fields: ["publication-number"], iterationNextToken: "abc" },
    ],
    ["over 10 000 fields", { query: "x", fields: [...knownTedFields()].slice(0, 41), limit: 250 }],
    [
      "over 15 000 notices",
      { query: "buyer-country IN (DNK)", fields: ["publication-number"], page: 61, limit: 250 },
    ],
    ["not JSON", "{"],
  ])("answers 400 with the documented error shape: %s", async (_name, body) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(json).toEqual({
      message: expect.any(String),
      error: expect.objectContaining({ type: "UNSUPPORTED_VALUE" }),
    });
    expect(mock.rejected).toEqual([expect.objectContaining({ kind: "schema" })]);
  });

  it("answers a bad query with a documented query error", async () => {
    const { status, json } = await post({ query: "buyer-country IN DNK", fields: ["publication-number"] });
    expect(status).toBe(400);
    expect(json["error"]).toMatchObject({ type: "QUERY_SYNTAX_ERROR", location: { beginLine: 1 } });
  });

  it("sends documented responses in both pagination modes", async () => {
    const query = "form-type IN (competition)";
    const byPage = await post({ query, fields: ["publication-number", "links"], page: 2, limit: 5 });
    expect(byPage.status).toBe(200);
    expect(DocumentedSearchResponse.parse(byPage.json).notices).toHaveLength(5);
    expect(byPage.json).not.toHaveProperty("iterationNextToken");

    const first = await post({
      query,
      fields: ["publication-number"],
      limit: 5,
      paginationMode: "ITERATION",
    });
    const page = DocumentedSearchResponse.parse(first.json);
    expect(page.iterationNextToken).toEqual(expect.any(String));
    expect(page.notices.every((n) => Object.keys(n).join() === "publication-number")).toBe(true);

    const bad = await post({
      query,
      fields: ["publication-number"],
      paginationMode: "ITERATION",
      iterationNextToken: "x",
    });
    expect(bad).toMatchObject({ status: 400, json: { error: { type: "INVALID_ITERATION_TOKEN" } } });
  });
});
