import { OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError, ERROR_CODES, fieldIssues } from "../domain/errors.js";
import type { AppEnv } from "./app-env.js";

/** Validation failures become the one error envelope: 400 with the offending fields. */
export function validationHook(
  result:
    | { success: true }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } },
): void {
  if (!result.success) {
    throw new AppError("VALIDATION_FAILED", "the request is not valid", {
      fields: fieldIssues(result.error.issues),
    });
  }
}

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      requestId: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request: the fields that are wrong are listed",
  401: "No token, or a token that is not valid",
  403: "The token's account may not do this",
  404: "Not found",
  409: "Conflict with the current state",
  413: "Body larger than 1 MB",
  415: "Body is not JSON",
  429: "Too many writes: see Retry-After",
  503: "Search or store unavailable",
};

/** The error responses of a route, all with the envelope. */
export function errors(...statuses: (keyof typeof ERROR_DESCRIPTIONS)[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: ERROR_DESCRIPTIONS[s] ?? "Error",
        content: { "application/json": { schema: ErrorEnvelope } },
      },
    ]),
  );
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/**
 * A query parameter that may repeat or hold a comma-separated list (`stage=planned,open` or
 * `stage=planned&stage=open`).
 */
export function listParam<T extends z.ZodType<string, string>>(item: T, description: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(","))
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    )
    .pipe(z.array(item))
    .optional()
    .openapi({
      description,
      type: "array",
      items: { type: "string" },
      param: { style: "form", explode: true },
    });
}

export const bearerAuth = [{ bearerAuth: [] }];
