import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes a new migration from schema.ts into src/store/migrations.
// The same folder is applied by drizzle's migrator on Node and by `wrangler d1 migrations apply`.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/store/schema.ts",
  out: "./src/store/migrations",
});
