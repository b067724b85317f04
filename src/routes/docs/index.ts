import { Hono } from "hono";
import { AppError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";

/** The Swagger UI files the docs page loads; all served from this service, never from a CDN. */
export const DOCS_ASSETS = [
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
] as const;

const INIT_SCRIPT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>jointbid API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui"></main>
  <noscript><p>The interactive documentation needs JavaScript. The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p></noscript>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>
`;

export const docsRouter = new Hono<AppEnv>()
  .get("/docs", (c) => c.html(PAGE))
  .get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    c.header("Cache-Control", "public, max-age=86400");
    if (file === "init.js")
      return c.body(INIT_SCRIPT, 200, { "Content-Type": "text/javascript; charset=utf-8" });
    if (!(DOCS_ASSETS as readonly string[]).includes(file))
      throw new AppError("NOT_FOUND", `no asset ${file}`);
    const asset = await c.var.deps.docsAssets(file);
    if (!asset) throw new AppError("NOT_FOUND", `asset ${file} is not available in this runtime`);
    return c.body(typeof asset.body === "string" ? asset.body : new Uint8Array(asset.body), 200, {
      "Content-Type": asset.contentType,
    });
  });
