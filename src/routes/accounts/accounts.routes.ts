import { createRoute } from "@hono/zod-openapi";
import { Account } from "../../domain/account.js";
import { requireSignedIn } from "../middleware/auth.js";
import { bearerAuth, errors, json } from "../openapi.js";

export const me = createRoute({
  method: "get",
  path: "/api/me",
  tags: ["Accounts"],
  summary: "The account the token belongs to",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  responses: { 200: json(Account.openapi("Account"), "The account"), ...errors(401) },
});
