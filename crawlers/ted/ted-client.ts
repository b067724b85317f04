import { CrawlError } from "../errors.js";
import type { CrawlErrorContext } from "../errors.js";
import {
  TED_MAX_FIELDS_PER_PAGE,
  TED_MAX_LIMIT,
  TED_PUBLICATION_NUMBER,
  TedErrorBody,
  TedSearchRequest,
  TedSearchResponse,
} from "./ted-api.schemas.js";
import type { TedNotice, TedSearchScope } from "./ted-api.schemas.js";
import type { TedHttp, TedHttpResponse } from "./ted-http.js";

export { buildExpertQuery } from "./ted-query.js";
export { tedHttpFromFetch } from "./ted-http.js";
export type { TedHttp, TedHttpResponse } from "./ted-http.js";

export const TED_API_BASE_URL = "https://api.ted.europa.eu";
export const TED_NOTICE_BASE_URL = "https://ted.europa.eu";
const SEARCH_PATH = "/v3/notices/search";

/** Fields asked for when the caller names none: enough to decide whether a notice is worth its XML. */
export const DEFAULT_TED_FIELDS = [
  "publication-number",
  "publication-date",
  "notice-type",
  "form-type",
  "buyer-country",
  "classification-cpv",
  "notice-title",
  "reserved-procurement-lot",
  "deadline-receipt-tender-date-lot",
  "links",
] as const;
/** Always requested: the client needs them to identify a notice and find its XML. */
const REQUIRED_FIELDS = ["publication-number", "links"] as const;
/** A field name as the API spells them (`buyer-country`, `BT-09(b)-Procedure`); nothing that could break JSON or the query. */
const FIELD_NAME = /^[A-Za-z0-9][A-Za-z0-9()-]*$/;

const DEFAULT_LIMIT = 100;
const DEFAULT_MAX_NOTICES = 1000;
/** Preference order among the languages of `links.xml`. */
const XML_LINK_LANGUAGES = ["MUL", "ENG"];

export interface TedSearchOptions {
  /** An expert-search query, e.g. from `buildExpertQuery`. */
  query: string;
  /** Fields to return per notice; `publication-number` and `links` are always added. */
  fields?: string[];
  /** Notices per page, at most 250 (and at most 10 000 / number of fields). Default 100. */
  limit?: number;
  /** Stop after this many notices. Default 1000. */
  maxNotices?: number;
  /** The API's default is ACTIVE. */
  scope?: TedSearchScope;
}

export interface TedNoticeSummary {
  publicationNumber: string;
  /** The notice as returned: every requested field, `links` included. */
  fields: Record<string, unknown>;
  /** The multilingual (or else English, or else first) XML link, when the API gave one. */
  xmlUrl?: string;
}

export interface TedClientOptions {
  http: TedHttp;
  baseUrl?: string;
  noticeBaseUrl?: string;
}

/**
 * A client of the TED Search API v3: searches with the expert query language and reads every page
 * in ITERATION mode (the scroll mode without the 15 000-notice cap of PAGE_NUMBER), and fetches a
 * notice's XML. HTTP, pacing and retries belong to the injected `TedHttp`; this class only speaks
 * the API and turns whatever comes back into notices or a `CrawlError`.
 */
export class TedClient {
  readonly #http: TedHttp;
  readonly #baseUrl: string;
  readonly #noticeBaseUrl: string;

  constructor(options: TedClientOptions) {
    this.#http = options.http;
    this.#baseUrl = baseUrl(options.baseUrl ?? TED_API_BASE_URL);
    this.#noticeBaseUrl = baseUrl(options.noticeBaseUrl ?? TED_NOTICE_BASE_URL);
  }

  /**
   * Every notice matching the query, each once, page by page. Following the API documentation,
   * the last page is the first empty one (or one without a token); `maxNotices` stops earlier.
   */
  async *search(options: TedSearchOptions): AsyncGenerator<TedNoticeSummary> {
    const query = options.query.trim();
    if (query === "") throw new RangeError("The TED query must not be empty");
    const fields = requestFields(options.fields);
    const maxNotices = options.maxNotices ?? DEFAULT_MAX_NOTICES;
    if (!Number.isInteger(maxNotices) || maxNotices < 0) {
      throw new RangeError(`maxNotices must be a non-negative integer: ${maxNotices}`);
    }
    const limit = pageLimit(options.limit ?? DEFAULT_LIMIT, fields.length);

    const seen = new Set<string>();
    let token: string | undefined;
    while (seen.size < maxNotices) {
      const page = await this.#searchPage({
        query,
        fields,
        limit: Math.min(limit, maxNotices - seen.size),
        paginationMode: "ITERATION",
        ...(options.scope === undefined ? {} : { scope: options.scope }),
        ...(token === undefined ? {} : { iterationNextToken: token }),
      });
      for (const notice of page.notices) {
        const summary = toSummary(notice);
        if (seen.has(summary.publicationNumber)) continue;
        seen.add(summary.publicationNumber);
        yield summary;
        if (seen.size >= maxNotices) return;
      }
      const next = page.iterationNextToken ?? undefined;
      if (page.notices.length === 0 || next === undefined || next === "") return;
      if (next === token) {
        throw new CrawlError("parse", "TED search returned the same iteration token twice", {
          url: this.#searchUrl(),
          where: `after ${seen.size} notices`,
        });
      }
      token = next;
    }
  }

  /** The notice's XML, from its `links.xml` URL or, for a bare publication number, TED's XML URL. */
  async fetchNoticeXml(notice: TedNoticeSummary | string): Promise<string> {
    const url =
      typeof notice === "string"
        ? this.noticeXmlUrl(notice)
        : (notice.xmlUrl ?? this.noticeXmlUrl(notice.publicationNumber));
    const response = await this.#http.request(url, {
      method: "GET",
      headers: { Accept: "application/xml" },
      conditional: true,
    });
    if (!isSuccess(response.status)) throw httpError(response, url, "TED notice XML");
    const xml = response.text.replace(/^\uFEFF/, "");
    if (!looksLikeXml(xml)) {
      throw new CrawlError("parse", "TED notice XML: the response is not an XML document", {
        url: response.url,
        ...(response.contentType === undefined ? {} : { where: `content type ${response.contentType}` }),
      });
    }
    return xml;
  }

  /** `https://ted.europa.eu/en/notice/{publication-number}/xml`. */
  noticeXmlUrl(publicationNumber: string): string {
    if (!TED_PUBLICATION_NUMBER.test(publicationNumber)) {
      throw new RangeError(`Not a TED publication number: ${JSON.stringify(publicationNumber)}`);
    }
    return `${this.#noticeBaseUrl}/en/notice/${publicationNumber}/xml`;
  }

  #searchUrl(): string {
    return `${this.#baseUrl}${SEARCH_PATH}`;
  }

  async #searchPage(request: TedSearchRequest): Promise<TedSearchResponse> {
    const url = this.#searchUrl();
    const body = TedSearchRequest.parse(request);
    const response = await this.#http.request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (!isSuccess(response.status)) throw httpError(response, url, "TED search");

    let json: unknown;
    try {
      json = JSON.parse(response.text);
    } catch (e) {
      throw new CrawlError("parse", "TED search: the response is not JSON", { url }, false, { cause: e });
    }
    const parsed = TedSearchResponse.safeParse(json);
    if (!parsed.success) {
      const missing = parsed.error.issues
        .slice(0, 10)
        .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
      throw new CrawlError("parse", `TED search: unexpected response shape (${missing.join("; ")})`, {
        url,
        missing,
      });
    }
    if (parsed.data.timedOut === true) {
      throw new CrawlError("timeout", "TED search timed out on the server (timedOut: true)", { url }, true);
    }
    return parsed.data;
  }
}

function baseUrl(value: string): string {
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new RangeError(`TED base URL must be http(s): ${value}`);
  }
  return url.href.replace(/\/+$/, "");
}

function requestFields(fields: readonly string[] | undefined): string[] {
  const wanted = [...(fields ?? DEFAULT_TED_FIELDS), ...REQUIRED_FIELDS];
  for (const field of wanted) {
    if (!FIELD_NAME.test(field)) throw new RangeError(`Not a TED field name: ${JSON.stringify(field)}`);
  }
  return [...new Set(wanted)];
}

function pageLimit(limit: number, fieldCount: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > TED_MAX_LIMIT) {
    throw new RangeError(`limit must be an integer from 1 to ${TED_MAX_LIMIT}: ${limit}`);
  }
  // The API refuses pages of more than 10 000 fields (notices × fields).
  return Math.max(1, Math.min(limit, Math.floor(TED_MAX_FIELDS_PER_PAGE / fieldCount)));
}

function toSummary(notice: TedNotice): TedNoticeSummary {
  const xmlUrl = pickXmlLink(notice.links?.xml);
  return {
    publicationNumber: notice["publication-number"],
    fields: { ...notice },
    ...(xmlUrl === undefined ? {} : { xmlUrl }),
  };
}

function pickXmlLink(links: Record<string, string> | undefined): string | undefined {
  if (links === undefined) return undefined;
  const candidates = [...XML_LINK_LANGUAGES.map((lang) => links[lang]), ...Object.values(links)];
  return candidates.find((link): link is string => link !== undefined && isHttpUrl(link));
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function looksLikeXml(text: string): boolean {
  const start = text.trimStart();
  return start.startsWith("<") && !/^<(!doctype\s+html|html[\s>])/i.test(start);
}

/**
 * A non-2xx answer as a `CrawlError`: the API's own message and error type when the body has them.
 * 429 and 5xx may succeed later; any other status will not.
 */
function httpError(response: TedHttpResponse, url: string, what: string): CrawlError {
  const { status } = response;
  const retry = status === 429 || status >= 500;
  const detail = errorDetail(response.text);
  const context: CrawlErrorContext = { url, status };
  return new CrawlError(
    "http",
    `${what} failed with HTTP ${status}${detail === "" ? "" : `: ${detail}`}`,
    context,
    retry,
  );
}

function errorDetail(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.replace(/\s+/g, " ").trim().slice(0, 200);
  }
  const parsed = TedErrorBody.safeParse(json);
  if (!parsed.success) return text.replace(/\s+/g, " ").trim().slice(0, 200);
  const { message, error } = parsed.data;
  const type = error?.type ?? parsed.data.type;
  const parts = [
    message,
    type === undefined ? undefined : `[${type}]`,
    error?.fieldName === undefined ? undefined : `field ${error.fieldName}`,
    error?.fieldValue === undefined ? undefined : `value ${error.fieldValue}`,
    error?.parameterName === undefined ? undefined : `parameter ${error.parameterName}`,
    error?.unsupportedValue === undefined ? undefined : `value ${error.unsupportedValue}`,
    error?.location?.beginColumn === undefined
      ? undefined
      : `at line ${error.location.beginLine ?? 1}, column ${error.location.beginColumn}`,
  ];
  return parts.filter((p): p is string => p !== undefined && p !== "").join(" ");
}
