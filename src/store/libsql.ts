import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "./schema.js";
import { type Clock, Store } from "./store.js";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Opens the store on Node: a SQLite file (or a libsql server) through @libsql/client, with the
 * migrations in src/store/migrations applied first.
 */
export async function openLibsqlStore(options: {
  url: string;
  authToken?: string;
  clock?: Clock;
}): Promise<Store> {
  const { url } = options;
  if (url.startsWith("file:") && !url.includes(":memory:")) {
    const path = url.slice("file:".length);
    mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient(options.authToken ? { url, authToken: options.authToken } : { url });
  if (url.startsWith("file:")) {
    await client.execute("PRAGMA foreign_keys = ON");
    await client.execute("PRAGMA busy_timeout = 5000");
    await client.execute("PRAGMA journal_mode = WAL");
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return new Store(db, options.clock ?? (() => new Date()), () => client.close());
}
