/**
 * Browser sessions of the web pages: sign-in by e-mail link, a signed session cookie, CSRF
 * tokens. The API keeps its bearer tokens (routes/middleware/auth.ts); both set the same
 * `actor`.
 *
 * - A sign-in link carries a random token; only its SHA-256 is stored, it works for 15 minutes
 *   and once. Opening it (GET) only shows a button: mail scanners that prefetch links use nothing.
 * - The session cookie holds a random session id signed with HMAC-SHA256 (the session secret);
 *   the store keeps the id's SHA-256 with the account, so a session can be revoked (sign-out).
 * - CSRF: every form carries HMAC(secret, "csrf:" + binding), the binding being the session id
 *   or, before sign-in, a random `csrf` cookie; a POST must carry it (compared in constant time)
 *   and come from the public base URL's origin (Origin, else Referer).
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { randomToken, sha256Hex } from "../domain/hash.js";
import type { AppEnv } from "../routes/app-env.js";

export const SESSION_COOKIE = "session";
export const CSRF_COOKIE = "csrf";
export const CSRF_FIELD = "_csrf";
export const SIGN_IN_TTL_MS = 15 * 60 * 1000;
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

let processSecret: string | undefined;

/** The configured secret, or one made at random for this process (sessions end at restart). */
export function sessionSecret(c: Context<AppEnv>): string {
  const configured = c.var.deps.config.sessionSecret;
  if (configured) return configured;
  processSecret ??= randomToken(32);
  return processSecret;
}

const secureCookies = (c: Context<AppEnv>) => c.var.deps.config.publicBaseUrl.startsWith("https:");

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Equal strings, compared in time that does not depend on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * For page routes: a valid session cookie makes the request's actor the session's account.
 * Anything else (no cookie, a bad signature, an expired or revoked session) is anonymous.
 */
export const pageSession: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.path.startsWith("/api/")) return next();
  c.set("actor", { kind: "anonymous" });
  const id = await getSignedCookie(c, sessionSecret(c), SESSION_COOKIE);
  if (typeof id === "string" && id.length > 0) {
    const idHash = await sha256Hex(id);
    const accountId = await c.var.deps.store.sessions.sessionAccountId(idHash);
    const account = accountId ? await c.var.deps.store.accounts.get(accountId) : undefined;
    if (account) {
      c.set("actor", { kind: "account", account, tokenId: `session:${idHash.slice(0, 16)}` });
      c.set("session", { id });
      c.set("csrf", await hmacHex(sessionSecret(c), `csrf:${id}`));
    }
  }
  return next();
});

/** The CSRF token for this request's forms (setting the pre-sign-in `csrf` cookie when needed). */
export async function csrfToken(c: Context<AppEnv>): Promise<string> {
  const known = c.get("csrf");
  if (known) return known;
  let binding = getCookie(c, CSRF_COOKIE);
  if (!binding || !/^[A-Za-z0-9_-]{32,64}$/.test(binding)) {
    binding = randomToken(32);
    setCookie(c, CSRF_COOKIE, binding, {
      httpOnly: true,
      sameSite: "Lax",
      secure: secureCookies(c),
      path: "/",
    });
  }
  const token = await hmacHex(sessionSecret(c), `csrf:${binding}`);
  c.set("csrf", token);
  return token;
}

/** Whether the request comes from a page of ours: its Origin (else Referer) is the public base URL's. */
export function sameOrigin(c: Context<AppEnv>): boolean {
  const expected = new URL(c.var.deps.config.publicBaseUrl).origin;
  const origin = c.req.header("origin");
  if (origin !== undefined) return origin === expected;
  const referer = c.req.header("referer");
  if (!referer) return false;
  try {
    return new URL(referer).origin === expected;
  } catch {
    return false;
  }
}

/** Whether a form POST carries this browser's CSRF token and comes from our origin. */
export async function csrfValid(c: Context<AppEnv>): Promise<boolean> {
  if (!sameOrigin(c)) return false;
  const body = await c.req.parseBody();
  const sent = body[CSRF_FIELD];
  if (typeof sent !== "string" || sent.length === 0) return false;
  const session = c.get("session");
  const binding = session ? session.id : getCookie(c, CSRF_COOKIE);
  if (!binding) return false;
  return constantTimeEqual(sent, await hmacHex(sessionSecret(c), `csrf:${binding}`));
}

/** Starts a session for an account: a new random id, its hash stored, the signed cookie set. */
export async function startSession(c: Context<AppEnv>, accountId: string): Promise<void> {
  const old = c.get("session");
  if (old) await c.var.deps.store.sessions.revokeSession(await sha256Hex(old.id));
  const id = randomToken(32);
  await c.var.deps.store.sessions.createSession({
    idHash: await sha256Hex(id),
    accountId,
    ttlMs: SESSION_TTL_MS,
  });
  await setSignedCookie(c, SESSION_COOKIE, id, sessionSecret(c), {
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(c),
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
  deleteCookie(c, CSRF_COOKIE, { path: "/" });
}

/** Ends the request's session: revoked in the store, the cookie cleared. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const session = c.get("session");
  if (session) await c.var.deps.store.sessions.revokeSession(await sha256Hex(session.id));
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secureCookies(c) });
}

/** A new sign-in link's token, stored as its hash. */
export async function issueSignInToken(
  c: Context<AppEnv>,
  email: string,
  accountId: string | undefined,
): Promise<string> {
  const token = randomToken(32);
  await c.var.deps.store.sessions.addSignInToken({
    tokenHash: await sha256Hex(token),
    email,
    accountId,
    ttlMs: SIGN_IN_TTL_MS,
  });
  return token;
}

/**
 * Work that must not delay the answer (sending a sign-in link: how long it takes would tell
 * whether the account exists): `waitUntil` on Workers, a logged background promise on Node.
 */
export function inBackground(c: Context<AppEnv>, work: Promise<void>): void {
  const logged = work.catch((error: unknown) =>
    c.var.deps.logger.error("background work failed", {
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  try {
    c.executionCtx.waitUntil(logged);
  } catch {
    // Node: no execution context; the promise runs on and logs its failure.
  }
}
