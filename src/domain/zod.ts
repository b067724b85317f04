/**
 * zod, extended with `.openapi()` so that domain schemas can carry the names and examples the
 * API document shows. Every domain schema imports `z` from here: zod v4 adds methods to each
 * schema when it is created, so the extension must be in place before the first schema is.
 */
export { z } from "@hono/zod-openapi";
