import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { AppError } from "./domain/errors.js";
import { accountsRouter } from "./routes/accounts/index.js";
import type { AppDeps, AppEnv } from "./routes/app-env.js";
import { buyersRouter } from "./routes/buyers/index.js";
import { consortiaRouter } from "./routes/consortia/index.js";
import { cpvRouter } from "./routes/cpv/index.js";
import { docsRouter } from "./routes/docs/index.js";
import { enterprisesRouter } from "./routes/enterprises/index.js";
import { errorResponse, loggedAppError, onError, onNotFound } from "./routes/errors.js";
import { healthRouter } from "./routes/health/index.js";
import { validationHook } from "./routes/openapi.js";
import { authenticate, limitWritesPerAddress, limitWritesPerToken } from "./routes/middleware/auth.js";
import { matchingRouter } from "./routes/matching/index.js";
import { ocdsRouter } from "./routes/ocds/index.js";
import { sourcesRouter } from "./routes/sources/index.js";
import { subscriptionsRouter } from "./routes/subscriptions/index.js";
import { tendersRouter } from "./routes/tenders/index.js";
import { errorPage, wantsErrorPage } from "./ui/error-page.js";
import { pagesRouter } from "./ui/routes.js";

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds the HTTP app from its dependencies. No I/O happens here or at import: server.ts (Node)
 * and worker.ts (Workers) open the store and the search engine and pass them in.
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestId());
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        errorResponse(c, new AppError("PAYLOAD_TOO_LARGE", "the request body is larger than 1 MB")),
    }),
  );
  app.use("/api/*", limitWritesPerAddress);
  app.use("/api/*", authenticate);
  app.use("/api/*", limitWritesPerToken);

  app.route("/", healthRouter);
  app.route("/", matchingRouter);
  app.route("/", tendersRouter);
  app.route("/", enterprisesRouter);
  app.route("/", buyersRouter);
  app.route("/", cpvRouter);
  app.route("/", ocdsRouter);
  app.route("/", sourcesRouter);
  app.route("/", subscriptionsRouter);
  app.route("/", consortiaRouter);
  app.route("/", accountsRouter);
  app.route("/", docsRouter);
  app.route("/", pagesRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A token from `npm run --silent cli -- account create … --json`",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "jointbid API",
      version: deps.config.version,
      description:
        "Tenders, planned purchases and the social enterprises that could win them, alone or together. " +
        'Every error has the body {"error": {"code", "message", "requestId"}}.',
    },
    servers: [{ url: deps.config.publicBaseUrl }],
  });

  app.get("/", (c) =>
    c.json({
      name: "jointbid",
      version: deps.config.version,
      docs: "/docs",
      openapi: "/openapi.json",
      health: "/health",
    }),
  );

  app.onError((error, c) => (wantsErrorPage(c) ? errorPage(c, loggedAppError(error, c)) : onError(error, c)));
  app.notFound((c) =>
    wantsErrorPage(c)
      ? errorPage(c, new AppError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`))
      : onNotFound(c),
  );
  return app;
}
