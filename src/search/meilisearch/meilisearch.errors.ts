import {
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
} from "meilisearch";
import type { Task } from "meilisearch";
import { AppError } from "../../domain/errors.js";

/**
 * What went wrong talking to Meilisearch, in this layer's terms: the client's error classes are
 * unwrapped (a custom HTTP client's errors arrive wrapped in MeilisearchRequestError) and
 * reduced to a kind plus what the server reported.
 */
export interface MeilisearchFailure {
  kind: "http" | "network" | "timeout";
  message: string;
  /** HTTP status the client reported, when there was a response. */
  status?: number;
  /** Meilisearch error code (`index_not_found`, `invalid_api_key`, …). */
  code?: string;
  /** Meilisearch error type (`invalid_request`, `auth`, `internal`, `system`). */
  type?: string;
  link?: string;
}

function unwrap(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    if (current instanceof MeilisearchRequestError && current.cause instanceof Error) current = current.cause;
    else break;
  }
  return current;
}

export function describeMeilisearchError(error: unknown): MeilisearchFailure {
  const inner = unwrap(error);
  if (inner instanceof MeilisearchApiError) {
    const body = inner.cause;
    return {
      kind: "http",
      message: inner.message,
      status: inner.response.status,
      ...(body ? { code: body.code, type: body.type, link: body.link } : {}),
    };
  }
  if (inner instanceof MeilisearchRequestTimeOutError || inner instanceof MeilisearchTaskTimeOutError) {
    return { kind: "timeout", message: inner.message };
  }
  if (error instanceof MeilisearchRequestError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { kind: "network", message: `${error.message}${cause}` };
  }
  return { kind: "network", message: inner instanceof Error ? inner.message : String(inner) };
}

/** A short line for logs and health reports: "invalid_api_key: The provided API key is invalid." */
export function meilisearchErrorText(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const failure = describeMeilisearchError(error);
  return failure.code ? `${failure.code}: ${failure.message}` : failure.message;
}

/** Codes that mean "this deployment cannot search right now", not "we sent a bad request". */
const UNAVAILABLE_CODES = new Set(["index_not_found", "missing_authorization_header", "invalid_api_key"]);

/**
 * Maps a client error to the service's error model. The server being down, slow, failing (5xx),
 * refusing our key or missing an index is SEARCH_UNAVAILABLE; any other rejected request is a bug
 * on our side (or settings not synced) and becomes INTERNAL. The status stays in the context.
 */
export function toAppError(error: unknown, context: Record<string, unknown>): AppError {
  if (error instanceof AppError) return error;
  const failure = describeMeilisearchError(error);
  const unavailable =
    failure.kind !== "http" ||
    (failure.status !== undefined && failure.status >= 500) ||
    (failure.code !== undefined && UNAVAILABLE_CODES.has(failure.code));
  const hint =
    failure.code === "index_not_found" ||
    failure.code === "invalid_search_filter" ||
    failure.code === "invalid_search_sort" ||
    failure.code === "invalid_search_facets"
      ? " (run `npm run index:sync`)"
      : "";
  return new AppError(
    unavailable ? "SEARCH_UNAVAILABLE" : "INTERNAL",
    `Meilisearch ${String(context.operation ?? "request")} failed: ${failure.message}${hint}`,
    { context: { engine: "meilisearch", ...context, ...failure }, cause: error },
  );
}

/**
 * A task that ended failed or canceled. Errors of type internal/system (disk full, …) mean the
 * engine cannot take writes; anything else (invalid document, bad settings) is a bug on our side.
 */
export function taskFailedError(task: Task, context: Record<string, unknown> = {}): AppError {
  const error = task.error;
  const reason = error ? error.message : `the task was ${task.status}`;
  const unavailable = error?.type === "internal" || error?.type === "system";
  return new AppError(
    unavailable ? "SEARCH_UNAVAILABLE" : "INTERNAL",
    `Meilisearch task ${task.uid} (${task.type} on ${task.indexUid ?? "-"}) ${task.status}: ${reason}`,
    {
      context: {
        engine: "meilisearch",
        ...context,
        taskUid: task.uid,
        indexUid: task.indexUid,
        taskType: task.type,
        status: task.status,
        ...(error ? { code: error.code, type: error.type, link: error.link } : {}),
      },
    },
  );
}
