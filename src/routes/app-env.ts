import type { Context } from "hono";
import type { Actor } from "../domain/account.js";
import type { ServiceContext } from "../services/context.js";
import type { RateLimiter } from "./middleware/rate-limit.js";

/** A static file the docs page needs (Swagger UI), served from the package, never a CDN. */
export interface StaticAsset {
  body: string | Uint8Array;
  contentType: string;
}

export type AssetSource = (name: string) => Promise<StaticAsset | undefined>;

export interface AppConfig {
  publicBaseUrl: string;
  writeRatePerToken: number;
  writeRatePerIp: number;
  version: string;
  /**
   * Key of the HMAC that signs session cookies and CSRF tokens (SESSION_SECRET). Unset: a random
   * key per process (per isolate on Workers), so sessions end at restart.
   */
  sessionSecret?: string | undefined;
}

/** A transactional e-mail (a sign-in link): plain text. */
export interface TransactionalMail {
  to: string;
  subject: string;
  text: string;
}

export type SendMail = (mail: TransactionalMail) => Promise<void>;

/** Everything the app needs from its runtime, wired by server.ts (Node) or worker.ts (Workers). */
export interface AppDeps extends ServiceContext {
  config: AppConfig;
  /** The client's address, as the runtime knows it (for per-address rate limits). */
  clientAddress: (c: Context) => string | undefined;
  docsAssets: AssetSource;
  rateLimiter: RateLimiter;
  /** How sign-in links leave; without it (the Worker) they are logged as not sent. */
  sendMail?: SendMail;
}

/** The browser session of a page request: its id (from the signed cookie). */
export interface PageSession {
  id: string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    deps: AppDeps;
    actor: Actor;
    /** Set on page routes for a signed-in browser. */
    session?: PageSession;
    /** The CSRF token of the page's forms, once computed. */
    csrf?: string;
  };
}
