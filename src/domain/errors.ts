/**
 * One error model for the whole service. Domain, store, search and crawler code throw
 * `AppError` with a code; only the HTTP layer maps codes to statuses (routes/errors.ts) and the
 * CLI maps them to exit codes.
 */
export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
  "SEARCH_UNAVAILABLE",
  "STORE_UNAVAILABLE",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly context: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      fields?: FieldIssue[];
      retryAfterSeconds?: number;
      context?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.context = options.context;
  }
}

/** Turns zod issues into `{path, message}` pairs a client can show next to its fields. */
export function fieldIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldIssue[] {
  return issues.map((i) => ({
    path: i.path.map((p) => String(p)).join(".") || "(root)",
    message: i.message,
  }));
}
