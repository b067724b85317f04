/**
 * Swagger UI's files, imported as text by src/worker.ts. Wrangler bundles them through the
 * `[[rules]] type = "Text"` entry of wrangler.toml; the Node side reads them from disk instead
 * (src/node-runtime.ts).
 */
/* eslint-disable no-restricted-syntax -- wrangler Text modules have a default export; this only types them */
declare module "swagger-ui-dist/swagger-ui.css" {
  const text: string;
  export default text;
}

declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const text: string;
  export default text;
}

declare module "swagger-ui-dist/swagger-ui-standalone-preset.js" {
  const text: string;
  export default text;
}
