import type { RouteHandler } from "@hono/zod-openapi";
import { parseCpv } from "../../domain/cpv.js";
import { type CpvEntry, cpvAncestors, cpvChildren, cpvEntry, searchCpv } from "../../domain/cpv-catalogue.js";
import { AppError } from "../../domain/errors.js";
import { suggestCpv } from "../../services/classify.service.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./cpv.routes.js";

function item(entry: CpvEntry, lang: string) {
  return {
    code: entry.code,
    label: entry.labels[lang as keyof typeof entry.labels] ?? entry.labels.en ?? entry.code,
    labels: entry.labels,
    level: entry.level,
    parent: entry.parent,
    annexXIV: entry.annexXIV,
    art77: entry.art77,
  };
}

export const search: RouteHandler<typeof routes.search, AppEnv> = async (c) => {
  const { q, lang, limit } = c.req.valid("query");
  return c.json({ items: searchCpv(q, limit).map((e) => item(e, lang)) }, 200);
};

export const get: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { code } = c.req.valid("param");
  const { lang } = c.req.valid("query");
  if (parseCpv(code) === undefined) {
    throw new AppError("VALIDATION_FAILED", "not a CPV code", {
      fields: [{ path: "code", message: "8 digits, optionally with a check digit (90910000-9)" }],
    });
  }
  const entry = cpvEntry(code);
  if (!entry) throw new AppError("NOT_FOUND", `no CPV code ${code}`);
  return c.json(
    {
      ...item(entry, lang),
      ancestors: cpvAncestors(entry.code).map((e) => item(e, lang)),
      children: cpvChildren(entry.code).map((e) => item(e, lang)),
    },
    200,
  );
};

export const suggest: RouteHandler<typeof routes.suggest, AppEnv> = async (c) => {
  return c.json(suggestCpv(c.var.deps, c.req.valid("json")), 200);
};
