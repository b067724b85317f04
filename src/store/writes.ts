import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import * as schema from "./schema.js";
import type { Db } from "./store.js";

/** How many revision bumps this Store committed: its own writes, told apart from other processes'. */
export class WriteCounter {
  committed = 0;
}

/** Runs statements as one transaction; their results are not needed. */
export async function inOneTransaction(db: Db, items: BatchItem<"sqlite">[]): Promise<void> {
  const [first, ...rest] = items;
  if (first) await db.batch([first, ...rest]);
}

export function bumpRevision(db: Db) {
  return db
    .insert(schema.meta)
    .values({ key: "revision", value: 1 })
    .onConflictDoUpdate({ target: schema.meta.key, set: { value: sql`${schema.meta.value} + 1` } });
}
