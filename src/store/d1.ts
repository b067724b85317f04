import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.js";
import { type Clock, Store } from "./store.js";

/**
 * Opens the store on Workers over a D1 binding. Migrations are applied outside the Worker, by
 * `wrangler d1 migrations apply` (see wrangler.toml `migrations_dir`).
 */
export function openD1Store(binding: D1Database, clock: Clock = () => new Date()): Store {
  return new Store(drizzle(binding, { schema }), clock);
}
