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
}

/** Everything the app needs from its runtime, wired by server.ts (Node) or worker.ts (Workers). */
export interface AppDeps extends ServiceContext {
  config: AppConfig;
  /** The client's address, as the runtime knows it (for per-address rate limits). */
  clientAddress: (c: Context) => string | undefined;
  docsAssets: AssetSource;
  rateLimiter: RateLimiter;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    deps: AppDeps;
    actor: Actor;
  };
}
