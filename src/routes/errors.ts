import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { AppError, type ErrorCode, fieldIssues } from "../domain/errors.js";
import type { AppEnv } from "./app-env.js";

/** The one map from error codes to HTTP statuses; exhaustive by type. */
export const ERROR_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SEARCH_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
};

function codeOfStatus(status: number): ErrorCode {
  const found = (Object.entries(ERROR_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (found) return found[0];
  return status >= 500 ? "INTERNAL" : "VALIDATION_FAILED";
}

/** Everything thrown while handling a request becomes an AppError. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new AppError("VALIDATION_FAILED", "the request is not valid", {
      fields: fieldIssues(error.issues),
    });
  }
  if (error instanceof HTTPException) {
    const code = codeOfStatus(error.status);
    const message =
      code === "UNSUPPORTED_MEDIA_TYPE"
        ? "send the body as application/json"
        : error.message || code.toLowerCase().replace(/_/g, " ");
    return new AppError(code, message, { cause: error });
  }
  return new AppError("INTERNAL", "something went wrong on our side; the error has been logged", {
    cause: error,
  });
}

/** Writes the error envelope: `{"error": {"code", "message", "requestId", "fields"?}}`. */
export function errorResponse(c: Context<AppEnv>, error: AppError): Response {
  const status = ERROR_STATUS[error.code];
  if (error.retryAfterSeconds !== undefined) c.header("Retry-After", String(error.retryAfterSeconds));
  if (error.code === "UNAUTHORIZED") c.header("WWW-Authenticate", 'Bearer realm="jointbid"');
  return c.json(
    {
      error: {
        code: error.code,
        message: error.message,
        requestId: c.get("requestId") ?? "unknown",
        ...(error.fields ? { fields: error.fields } : {}),
      },
    },
    status,
  );
}

/** The AppError for what was thrown; an unexpected error is logged with its stack. */
export function loggedAppError(error: unknown, c: Context<AppEnv>): AppError {
  const appError = toAppError(error);
  if (appError.code === "INTERNAL") {
    const cause =
      error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
    c.var.deps?.logger.error("unhandled error", {
      requestId: c.get("requestId"),
      path: c.req.path,
      ...cause,
    });
  }
  return appError;
}

export function onError(error: unknown, c: Context<AppEnv>): Response {
  return errorResponse(c, loggedAppError(error, c));
}

export function onNotFound(c: Context<AppEnv>): Response {
  return errorResponse(c, new AppError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`));
}
