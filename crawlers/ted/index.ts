export { TedClient, DEFAULT_TED_FIELDS, TED_API_BASE_URL, TED_NOTICE_BASE_URL } from "./ted-client.js";
export type { TedClientOptions, TedNoticeSummary, TedSearchOptions } from "./ted-client.js";
export { buildExpertQuery, toIso3, TED_FORM_TYPES, TED_RESERVED_CODES } from "./ted-query.js";
export type { ExpertQueryOptions, TedFormType } from "./ted-query.js";
export { tedHttpFromFetch } from "./ted-http.js";
export type { TedHttp, TedHttpResponse } from "./ted-http.js";
