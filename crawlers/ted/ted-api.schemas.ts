import { z } from "../../src/domain/zod.js";

/**
 * The shapes of TED Search API v3 (`POST https://api.ted.europa.eu/v3/notices/search`), taken from
 * the components of the official OpenAPI document (OP-TED/tedapi-docs, copied to
 * `test/fixtures/ted-api-v3/`). Only what the client sends and reads is modelled; a notice keeps
 * every other field it was asked for.
 */

/** `PublicExpertSearchRequestV1.scope`. */
export const TED_SEARCH_SCOPES = ["LATEST", "ACTIVE", "ALL"] as const;
export type TedSearchScope = (typeof TED_SEARCH_SCOPES)[number];
/** `PublicExpertSearchRequestV1.paginationMode`. */
export const TED_PAGINATION_MODES = ["PAGE_NUMBER", "ITERATION"] as const;
/** Documented limits: 250 notices per page, 10 000 fields (notices × fields) per page. */
export const TED_MAX_LIMIT = 250;
export const TED_MAX_FIELDS_PER_PAGE = 10_000;

/** `type` codes of the documented 400 bodies (QuerySyntaxErrorError … InvalidIterationTokenError). */
export const TED_ERROR_TYPES = [
  "QUERY_SYNTAX_ERROR",
  "QUERY_INVALID_FIELD_FORMAT",
  "QUERY_UNKNOWN_FIELD",
  "QUERY_UNSUPPORTED_FIELD_OPERATION",
  "QUERY_UNSUPPORTED_FIELD_VALUE",
  "UNSUPPORTED_VALUE",
  "EXPIRED_ITERATION_TOKEN",
  "INVALID_ITERATION_TOKEN",
] as const;

/** A TED publication number (OJ S notice number and year), e.g. `352907-2021`. */
export const TED_PUBLICATION_NUMBER = /^\d{1,8}-\d{4}$/;

/** `PublicExpertSearchRequestV1`: `query` and `fields` required, everything else optional. */
export const TedSearchRequest = z.strictObject({
  query: z.string().min(1),
  fields: z
    .array(z.string().min(1))
    .min(1)
    .refine((fields) => new Set(fields).size === fields.length, "fields must be unique"),
  page: z.number().int().min(1).optional(),
  limit: z.number().int().min(0).max(TED_MAX_LIMIT).optional(),
  scope: z.enum(TED_SEARCH_SCOPES).optional(),
  checkQuerySyntax: z.boolean().optional(),
  paginationMode: z.enum(TED_PAGINATION_MODES).optional(),
  onlyLatestVersions: z.boolean().optional(),
  iterationNextToken: z.string().min(1).optional(),
});
export type TedSearchRequest = z.infer<typeof TedSearchRequest>;

/** `NoticeResponse.links`: each kind maps a language (`MUL`, `ENG`, `DAN`, …) to a URL. */
const LinkMap = z.record(z.string(), z.string());
export const TedNoticeLinks = z.looseObject({
  xml: LinkMap.optional(),
  pdf: LinkMap.optional(),
  pdfs: LinkMap.optional(),
  html: LinkMap.optional(),
  htmlDirect: LinkMap.optional(),
});
export type TedNoticeLinks = z.infer<typeof TedNoticeLinks>;

/** `NoticeResponse`: only the fields the client relies on are checked; the rest are kept as is. */
export const TedNotice = z.looseObject({
  "publication-number": z.string().regex(TED_PUBLICATION_NUMBER),
  links: TedNoticeLinks.optional(),
});
export type TedNotice = z.infer<typeof TedNotice>;

/**
 * `ExpertSearchResponse`. `timedOut` is not in the OpenAPI document; it is accepted (and `true` is
 * treated as a timeout) in case the service reports a search that ran out of time the way the
 * Elasticsearch behind it does. The token is documented as a string; `null` means no more pages.
 */
export const TedSearchResponse = z.looseObject({
  notices: z.array(TedNotice),
  totalNoticeCount: z.number().int().min(0).optional(),
  iterationNextToken: z.string().nullish(),
  timedOut: z.boolean().optional(),
});
export type TedSearchResponse = z.infer<typeof TedSearchResponse>;

/**
 * What an error body may carry: `ErrorResponse` / `ErrorResponseObject` (`message`, `error`), with
 * `error` one of the documented 400 details (`type`, `location`, `fieldName`, …). Read leniently:
 * it is only used to word the error.
 */
export const TedErrorBody = z.looseObject({
  message: z.string().optional(),
  type: z.string().optional(),
  error: z
    .looseObject({
      type: z.string().optional(),
      fieldName: z.string().optional(),
      fieldValue: z.string().optional(),
      parameterName: z.string().optional(),
      unsupportedValue: z.string().optional(),
      location: z
        .looseObject({ beginLine: z.number().optional(), beginColumn: z.number().optional() })
        .optional(),
    })
    .optional(),
});
export type TedErrorBody = z.infer<typeof TedErrorBody>;
