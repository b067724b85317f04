/**
 * An msw stand-in for the TED Search API v3 (`https://api.ted.europa.eu`) and for the notice XML
 * on `https://ted.europa.eu`, modelled on the official OpenAPI document copied to
 * `test/fixtures/ted-api-v3/` (OP-TED/tedapi-docs):
 *
 * - `POST /v3/notices/search` checks the body against `PublicExpertSearchRequestV1` (written out
 *   below independently of the client's schema, and checked against the YAML by
 *   `ted-api-mock.test.ts`): required `query` and `fields`, unique known field names (the enum of
 *   the spec = `search-fields.csv`), `page` ≥ 1, `limit` ≥ 0 and ≤ 250, ≤ 10 000 fields per page,
 *   `scope` / `paginationMode` enums, no `iterationNextToken` outside ITERATION mode, at most
 *   15 000 notices reachable in PAGE_NUMBER mode. An invalid body gets 400 with an `ErrorResponse`
 *   (`message`, `error`) whose `error` is one of the documented details (`UNSUPPORTED_VALUE`,
 *   `QUERY_SYNTAX_ERROR`, `QUERY_UNKNOWN_FIELD`, `INVALID_ITERATION_TOKEN`, …) and is recorded in
 *   `rejected`.
 * - The query is evaluated over the corpus for the subset of expert syntax the client produces:
 *   `field IN (a b)`, `field=value`, `field=prefix*`, `field>=value` (and `>`, `<`, `<=`, `!=`),
 *   AND / OR / parentheses. Dates compare as YYYYMMDD.
 * - ITERATION mode hands out an opaque token with every page, the last one included (the spec
 *   calls it mandatory in this mode); the page after the last notice is empty, which is how the
 *   documentation says a client knows it is done. Tokens can be expired (`expireTokens`).
 * - Each notice carries only the requested fields, plus `links` when asked for
 *   (`xml.MUL` → `https://ted.europa.eu/en/notice/{publication-number}/xml`).
 * - `GET /en/notice/{publication-number}/xml` serves the notice's XML as `application/xml`.
 *
 * Known differences from the real service: scope, sorting (`SORT BY`), full-text (`~`), field
 * names with parentheses in queries and `checkQuerySyntax` results are not modelled; error
 * messages are ours, not TED's wording.
 *
 * Control surface: `requests`, `rejected`, `queueSearchResponse` (fault injection after the body
 * was validated), `expireTokens`, `reset`.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import type { HttpHandler } from "msw";
import { z } from "zod";

export const TED_MOCK_API_URL = "https://api.ted.europa.eu";
export const TED_MOCK_NOTICE_URL = "https://ted.europa.eu";

const FIXTURES = new URL("../fixtures/ted-api-v3/", import.meta.url);
const DEMO_NOTICES = new URL("../../src/demo/notices/", import.meta.url);

export interface TedCorpusNotice {
  publicationNumber: string;
  xml: string;
  /** Search fields by their API name (`buyer-country`, `classification-cpv`, …). */
  fields: Record<string, unknown>;
}

export interface TedApiMockOptions {
  baseUrl?: string;
  noticeBaseUrl?: string;
}

export interface RecordedTedRequest {
  method: string;
  url: string;
  body: unknown;
  status: number;
  response: unknown;
}

export interface RejectedTedRequest {
  body: unknown;
  /** schema: the body broke `PublicExpertSearchRequestV1` or a documented limit; query: the expert
   * query has a syntax error or unknown field; token: unknown or expired iteration token. */
  kind: "schema" | "query" | "token";
  reason: string;
}

/** The documented error body: `ErrorResponse` with a detail from the 400 `oneOf`. */
export interface TedMockErrorBody {
  message: string;
  error: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// The documented request schema

export const DOCUMENTED_SCOPES = ["LATEST", "ACTIVE", "ALL"] as const;
export const DOCUMENTED_PAGINATION_MODES = ["PAGE_NUMBER", "ITERATION"] as const;
export const DOCUMENTED_MAX_LIMIT = 250;
export const DOCUMENTED_MAX_FIELDS_PER_PAGE = 10_000;
export const DOCUMENTED_MAX_PAGE_NUMBER_NOTICES = 15_000;

/** `PublicExpertSearchRequestV1`, strict: a property the spec does not list is a client bug. */
export const DocumentedSearchRequest = z.strictObject({
  query: z.string(),
  fields: z.array(z.string()),
  page: z.number().int().min(1).optional(),
  limit: z.number().int().min(0).optional(),
  scope: z.enum(DOCUMENTED_SCOPES).optional(),
  checkQuerySyntax: z.boolean().optional(),
  paginationMode: z.enum(DOCUMENTED_PAGINATION_MODES).optional(),
  onlyLatestVersions: z.boolean().optional(),
  iterationNextToken: z.string().optional(),
});
type DocumentedSearchRequest = z.infer<typeof DocumentedSearchRequest>;

/** `ExpertSearchResponse`, as the mock sends it. */
export const DocumentedSearchResponse = z.strictObject({
  notices: z.array(z.record(z.string(), z.unknown())),
  totalNoticeCount: z.number().int(),
  iterationNextToken: z.string().optional(),
});

let knownFieldsCache: Set<string> | undefined;
/** The field names of `NoticeResponse` (= the enum of `fields`), from `search-fields.csv`. */
export function knownTedFields(): Set<string> {
  knownFieldsCache ??= new Set(
    readFileSync(new URL("search-fields.csv", FIXTURES), "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0]?.trim() ?? "")
      .filter((name) => name !== ""),
  );
  return knownFieldsCache;
}

class TedBadRequest extends Error {
  constructor(
    readonly kind: RejectedTedRequest["kind"],
    readonly body: TedMockErrorBody,
  ) {
    super(body.message);
  }
}

function unsupportedValue(parameterName: string, value: unknown, message: string): TedBadRequest {
  return new TedBadRequest("schema", {
    message,
    error: { type: "UNSUPPORTED_VALUE", parameterName, unsupportedValue: String(value) },
  });
}

function validateRequest(json: unknown): DocumentedSearchRequest {
  const parsed = DocumentedSearchRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const parameterName = issue === undefined ? "body" : issue.path.join(".") || "body";
    const keys = issue?.code === "unrecognized_keys" ? issue.keys.join(", ") : "";
    throw unsupportedValue(
      keys || parameterName,
      keys || "",
      `Invalid request: ${issue?.message ?? "invalid body"}`,
    );
  }
  const body = parsed.data;
  if (body.fields.length === 0) throw unsupportedValue("fields", "[]", "At least one field is required");
  if (new Set(body.fields).size !== body.fields.length) {
    throw unsupportedValue("fields", body.fields.join(","), "fields must be unique");
  }
  const known = knownTedFields();
  const unknown = body.fields.find((f) => !known.has(f));
  if (unknown !== undefined) throw unsupportedValue("fields", unknown, `Unsupported field: ${unknown}`);
  const limit = body.limit ?? 10;
  if (limit > DOCUMENTED_MAX_LIMIT) {
    throw unsupportedValue("limit", limit, `You can retrieve up to ${DOCUMENTED_MAX_LIMIT} notices per page`);
  }
  if (limit * body.fields.length > DOCUMENTED_MAX_FIELDS_PER_PAGE) {
    throw unsupportedValue(
      "limit",
      limit,
      `You can retrieve up to ${DOCUMENTED_MAX_FIELDS_PER_PAGE} fields per page`,
    );
  }
  const mode = body.paginationMode ?? "PAGE_NUMBER";
  if (mode === "PAGE_NUMBER" && body.iterationNextToken !== undefined) {
    throw unsupportedValue(
      "iterationNextToken",
      body.iterationNextToken,
      "iterationNextToken is only for ITERATION mode",
    );
  }
  if (mode === "PAGE_NUMBER" && (body.page ?? 1) * limit > DOCUMENTED_MAX_PAGE_NUMBER_NOTICES) {
    throw unsupportedValue(
      "page",
      body.page,
      `At most ${DOCUMENTED_MAX_PAGE_NUMBER_NOTICES} notices in PAGE_NUMBER mode`,
    );
  }
  if (body.query.trim() === "") throw syntaxError("Empty query", 1);
  return body;
}

// ---------------------------------------------------------------------------------------------
// Expert query subset

type Predicate = (fields: Record<string, unknown>) => boolean;

function syntaxError(message: string, column: number): TedBadRequest {
  return new TedBadRequest("query", {
    message: `Query syntax error: ${message}`,
    error: {
      type: "QUERY_SYNTAX_ERROR",
      location: { beginLine: 1, beginColumn: column, endLine: 1, endColumn: column },
    },
  });
}

interface Token {
  text: string;
  column: number;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(>=|<=|!=|[=<>()]|[^\s=<>!()]+)/y;
  let match: RegExpExecArray | null;
  while (re.lastIndex < query.length && (match = re.exec(query)) !== null) {
    const text = match[1] ?? "";
    tokens.push({ text, column: match.index + match[0].length - text.length + 1 });
  }
  if (re.lastIndex < query.length && query.slice(re.lastIndex).trim() !== "") {
    throw syntaxError(`unexpected character`, re.lastIndex + 1);
  }
  return tokens;
}

function parseQuery(query: string): Predicate {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (token === undefined) throw syntaxError("unexpected end of query", query.length + 1);
    return token;
  };

  const orExpr = (): Predicate => {
    const parts = [andExpr()];
    while (peek()?.text === "OR") {
      pos++;
      parts.push(andExpr());
    }
    return (f) => parts.some((p) => p(f));
  };
  const andExpr = (): Predicate => {
    const parts = [term()];
    while (peek()?.text === "AND") {
      pos++;
      parts.push(term());
    }
    return (f) => parts.every((p) => p(f));
  };
  const term = (): Predicate => {
    const first = next();
    if (first.text === "(") {
      const inner = orExpr();
      if (next().text !== ")") throw syntaxError("missing )", first.column);
      return inner;
    }
    const field = first.text;
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(field)) throw syntaxError(`unexpected ${field}`, first.column);
    if (!knownTedFields().has(field)) {
      throw new TedBadRequest("query", {
        message: `Unknown field: ${field}`,
        error: {
          type: "QUERY_UNKNOWN_FIELD",
          fieldName: field,
          location: {
            beginLine: 1,
            beginColumn: first.column,
            endLine: 1,
            endColumn: first.column + field.length,
          },
        },
      });
    }
    const op = next();
    if (op.text === "IN") {
      if (next().text !== "(") throw syntaxError("IN needs a list", op.column);
      const values: string[] = [];
      for (let t = next(); t.text !== ")"; t = next()) values.push(value(t));
      if (values.length === 0) throw syntaxError("empty IN list", op.column);
      return (f) => values.some((v) => fieldValues(f, field).some((fv) => matches(fv, v)));
    }
    const v = value(next());
    switch (op.text) {
      case "=":
        return (f) => fieldValues(f, field).some((fv) => matches(fv, v));
      case "!=":
        return (f) => !fieldValues(f, field).some((fv) => matches(fv, v));
      case ">=":
      case ">":
      case "<=":
      case "<": {
        const target = comparable(v);
        return (f) =>
          fieldValues(f, field).some((fv) => {
            const c = comparable(fv);
            if (op.text === ">=") return c >= target;
            if (op.text === ">") return c > target;
            if (op.text === "<=") return c <= target;
            return c < target;
          });
      }
      default:
        throw syntaxError(`unexpected operator ${op.text}`, op.column);
    }
  };
  const value = (t: Token): string => {
    if (!/^[A-Za-z0-9*.+-]+$/.test(t.text) || t.text === "AND" || t.text === "OR") {
      throw syntaxError(`unexpected ${t.text}`, t.column);
    }
    return t.text;
  };

  const predicate = orExpr();
  const rest = peek();
  if (rest !== undefined) throw syntaxError(`unexpected ${rest.text}`, rest.column);
  return predicate;
}

function fieldValues(fields: Record<string, unknown>, name: string): string[] {
  const value = fields[name];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "object") return Object.values(value).flat().map(String);
  return [String(value)];
}

function matches(fieldValue: string, queryValue: string): boolean {
  const a = fieldValue.toLowerCase();
  const b = queryValue.toLowerCase();
  return b.endsWith("*") ? a.startsWith(b.slice(0, -1)) : a === b;
}

/** Dates (`2021-07-13+01:00`, `20210713`) as YYYYMMDD; other values as they are. */
function comparable(value: string): string {
  const date = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(value);
  return date === null ? value : `${date[1]}${date[2]}${date[3]}`;
}

// ---------------------------------------------------------------------------------------------
// Handlers

export function createTedApiHandlers(corpus: readonly TedCorpusNotice[], options: TedApiMockOptions = {}) {
  const apiUrl = (options.baseUrl ?? TED_MOCK_API_URL).replace(/\/+$/, "");
  const noticeUrl = (options.noticeBaseUrl ?? TED_MOCK_NOTICE_URL).replace(/\/+$/, "");
  const byNumber = new Map(corpus.map((n) => [n.publicationNumber, n]));

  const requests: RecordedTedRequest[] = [];
  const rejected: RejectedTedRequest[] = [];
  const queued: { status: number; body: unknown; contentType?: string }[] = [];
  /** token → where the next page starts; a token is usable once per page, like a cursor. */
  const tokens = new Map<string, { query: string; offset: number; expired: boolean }>();

  const linksOf = (pn: string) => ({
    xml: { MUL: `${noticeUrl}/en/notice/${pn}/xml` },
    pdf: { ENG: `${noticeUrl}/en/notice/${pn}/pdf`, DAN: `${noticeUrl}/da/notice/${pn}/pdf` },
    html: { ENG: `${noticeUrl}/en/notice/-/detail/${pn}` },
  });

  const project = (notice: TedCorpusNotice, fields: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (field === "publication-number") out[field] = notice.publicationNumber;
      else if (field === "links") out[field] = linksOf(notice.publicationNumber);
      else if (notice.fields[field] !== undefined) out[field] = notice.fields[field];
    }
    return out;
  };

  const search = (body: DocumentedSearchRequest): z.infer<typeof DocumentedSearchResponse> => {
    const predicate = parseQuery(body.query);
    if (body.checkQuerySyntax === true) return { notices: [], totalNoticeCount: 0 };
    const hits = corpus.filter((n) => predicate({ ...n.fields, "publication-number": n.publicationNumber }));
    const limit = body.limit ?? 10;
    if ((body.paginationMode ?? "PAGE_NUMBER") === "PAGE_NUMBER") {
      const start = ((body.page ?? 1) - 1) * limit;
      const notices = hits.slice(start, start + limit).map((n) => project(n, body.fields));
      return { notices, totalNoticeCount: hits.length };
    }
    let offset = 0;
    if (body.iterationNextToken !== undefined) {
      const state = tokens.get(body.iterationNextToken);
      if (state === undefined || state.query !== body.query) {
        throw new TedBadRequest("token", {
          message: "Invalid iteration token",
          error: { type: "INVALID_ITERATION_TOKEN" },
        });
      }
      if (state.expired) {
        throw new TedBadRequest("token", {
          message: "Expired iteration token",
          error: { type: "EXPIRED_ITERATION_TOKEN" },
        });
      }
      offset = state.offset;
    }
    const page = hits.slice(offset, offset + limit);
    const token = randomUUID().replace(/-/g, "");
    tokens.set(token, { query: body.query, offset: offset + page.length, expired: false });
    return {
      notices: page.map((n) => project(n, body.fields)),
      totalNoticeCount: hits.length,
      iterationNextToken: token,
    };
  };

  const handlers: HttpHandler[] = [
    http.post(`${apiUrl}/v3/notices/search`, async ({ request }) => {
      const text = await request.text();
      const record = (status: number, response: unknown, body: unknown) => {
        requests.push({ method: "POST", url: request.url, body, status, response });
      };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        const error = { message: "Malformed JSON request body", error: { type: "UNSUPPORTED_VALUE" } };
        rejected.push({ body: text, kind: "schema", reason: error.message });
        record(400, error, text);
        return HttpResponse.json(error, { status: 400 });
      }
      try {
        const body = validateRequest(json);
        const fault = queued.shift();
        if (fault !== undefined) {
          record(fault.status, fault.body, json);
          const payload = typeof fault.body === "string" ? fault.body : JSON.stringify(fault.body);
          return new HttpResponse(payload, {
            status: fault.status,
            headers: { "Content-Type": fault.contentType ?? "application/json" },
          });
        }
        const response = search(body);
        record(200, response, json);
        return HttpResponse.json(response);
      } catch (e) {
        if (!(e instanceof TedBadRequest)) throw e;
        rejected.push({ body: json, kind: e.kind, reason: e.message });
        record(400, e.body, json);
        return HttpResponse.json(e.body, { status: 400 });
      }
    }),
    http.get(`${noticeUrl}/:lang/notice/:publicationNumber/xml`, ({ params, request }) => {
      const pn = String(params["publicationNumber"]);
      const notice = byNumber.get(pn);
      requests.push({
        method: "GET",
        url: request.url,
        body: undefined,
        status: notice ? 200 : 404,
        response: pn,
      });
      if (notice === undefined) {
        return new HttpResponse("<!DOCTYPE html><html><body>Notice not found</body></html>", {
          status: 404,
          headers: { "Content-Type": "text/html;charset=UTF-8" },
        });
      }
      return new HttpResponse(notice.xml, { headers: { "Content-Type": "application/xml;charset=UTF-8" } });
    }),
  ];

  return {
    handlers,
    /** Every request in order, with the answer sent. */
    requests,
    /** Request bodies that broke the documented schema or limits. */
    rejected,
    /** Answer the next valid search with this instead of searching. */
    queueSearchResponse(response: { status: number; body: unknown; contentType?: string }) {
      queued.push(response);
    },
    /** Make every token handed out so far expired (the point in time ended). */
    expireTokens() {
      for (const state of tokens.values()) state.expired = true;
    },
    reset() {
      requests.length = 0;
      rejected.length = 0;
      queued.length = 0;
      tokens.clear();
    },
  };
}

export type TedApiMock = ReturnType<typeof createTedApiHandlers>;

// ---------------------------------------------------------------------------------------------
// Corpus from the demo notices

const ISO3: Record<string, string> = {
  DK: "DNK",
  SE: "SWE",
  NO: "NOR",
  DE: "DEU",
  IE: "IRL",
  BE: "BEL",
  UK: "GBR",
  CH: "CHE",
};

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function all(xml: string, re: RegExp): string[] {
  return [...new Set([...xml.matchAll(re)].map((m) => m[1] ?? ""))];
}

function first(xml: string, re: RegExp): string | undefined {
  return re.exec(xml)?.[1];
}

/** Search fields read off an eForms notice with a few patterns (enough for the mock's filters). */
function eformsFields(xml: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const typeCode = /<cbc:NoticeTypeCode listName="([^"]+)">([^<]+)</.exec(xml);
  if (typeCode !== null) {
    fields["form-type"] = typeCode[1];
    fields["notice-type"] = typeCode[2];
  }
  const country = first(xml, /listName="country">([A-Z]{3})</);
  if (country !== undefined) fields["buyer-country"] = [country];
  const cpv = all(xml, /listName="cpv">(\d{8})</g);
  if (cpv.length > 0) fields["classification-cpv"] = cpv;
  const reserved = all(xml, /listName="reserved-procurement">([^<]+)</g);
  if (reserved.length > 0) fields["reserved-procurement-lot"] = reserved;
  const date = first(xml, /<efbc:PublicationDate>([^<]+)</) ?? first(xml, /<cbc:IssueDate>([^<]+)</);
  if (date !== undefined) fields["publication-date"] = [date];
  return fields;
}

/**
 * The demo notices as a search corpus: the 11 real TED notices (eForms conversions, publication
 * number from the manifest's OJ S number without leading zeros, e.g. `2021/S 133-352907` →
 * `352907-2021`, which is also their `NoticePublicationID`), then the OP-TED SDK examples (fictitious; their own
 * `NoticePublicationID` when they have one, else a made-up `9000NN-2024`).
 */
export function loadTedDemoCorpus(): TedCorpusNotice[] {
  const corpus: TedCorpusNotice[] = [];
  const r209 = new URL("ted-r209/", DEMO_NOTICES);
  const [header, ...rows] = parseCsv(readFileSync(new URL("MANIFEST.csv", r209), "utf8"));
  const col = (name: string) => header?.indexOf(name) ?? -1;
  for (const row of rows) {
    const file = row[col("eforms_conversion")];
    const ojs = /^(\d{4})\/S \d+-(\d+)$/.exec(row[col("ojs_no")] ?? "");
    if (file === undefined || ojs === null) continue;
    const xml = readFileSync(new URL(file, r209), "utf8");
    const country = ISO3[row[col("country")] ?? ""];
    corpus.push({
      publicationNumber: `${Number(ojs[2])}-${ojs[1]}`,
      xml,
      fields: {
        ...eformsFields(xml),
        ...(country === undefined ? {} : { "buyer-country": [country] }),
        "classification-cpv": (row[col("cpv")] ?? "").split(/\s+/).filter((c) => /^\d{8}$/.test(c)),
      },
    });
  }
  const sdk = new URL("eforms/notices/", DEMO_NOTICES);
  const files = readdirSync(sdk)
    .filter((f) => f.endsWith(".xml"))
    .sort();
  files.forEach((file, i) => {
    const xml = readFileSync(new URL(file, sdk), "utf8");
    const own = first(xml, /<efbc:NoticePublicationID[^>]*>(\d{1,8}-\d{4})</);
    corpus.push({
      publicationNumber: own ?? `${900001 + i}-2024`,
      xml,
      fields: eformsFields(xml),
    });
  });
  return corpus;
}
