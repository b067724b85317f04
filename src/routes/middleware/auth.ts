import { createMiddleware } from "hono/factory";
import { AppError } from "../../domain/errors.js";
import { sha256Hex } from "../../domain/hash.js";
import type { AppEnv } from "../app-env.js";

const BEARER = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/;

/**
 * Resolves the actor of a request. No Authorization header: anonymous. A header that is not a
 * well-formed bearer token, or a token nobody holds (or that was revoked): 401, on every route.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (header === undefined) {
    c.set("actor", { kind: "anonymous" });
    return next();
  }
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new AppError("UNAUTHORIZED", "the Authorization header must be 'Bearer <token>'");
  const found = await c.var.deps.store.accounts.byTokenHash(await sha256Hex(match[1]));
  if (!found) throw new AppError("UNAUTHORIZED", "this token is not valid (unknown or revoked)");
  c.set("actor", { kind: "account", account: found.account, tokenId: found.tokenId });
  return next();
});

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Per-address write limit, before authentication (it also slows down token guessing). */
export const limitWritesPerAddress = createMiddleware<AppEnv>(async (c, next) => {
  if (!WRITES.has(c.req.method)) return next();
  const { rateLimiter, config, clock, clientAddress } = c.var.deps;
  const address = clientAddress(c) ?? "unknown";
  const decision = rateLimiter.hit(`ip:${address}`, config.writeRatePerIp, clock().getTime());
  if (!decision.allowed) {
    throw new AppError("RATE_LIMITED", "too many writes from this address; slow down", {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
  return next();
});

/** Per-token write limit, after authentication. */
export const limitWritesPerToken = createMiddleware<AppEnv>(async (c, next) => {
  const actor = c.get("actor");
  if (!WRITES.has(c.req.method) || actor.kind !== "account") return next();
  const { rateLimiter, config, clock } = c.var.deps;
  const decision = rateLimiter.hit(`token:${actor.tokenId}`, config.writeRatePerToken, clock().getTime());
  if (!decision.allowed) {
    throw new AppError("RATE_LIMITED", "too many writes with this token; slow down", {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
  return next();
});

/** For routes that need an account: refuse anonymous callers before their body is validated. */
export const requireSignedIn = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("actor").kind === "anonymous") {
    throw new AppError("UNAUTHORIZED", "sign in: send 'Authorization: Bearer <token>'");
  }
  return next();
});
