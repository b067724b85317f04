/**
 * Pages of a buyer account (a municipality): its tender plan (list, new, edit, withdraw), the
 * upload of a plan file (CSV or XLSX) with a preview before anything is saved, and the insight
 * page for its planned purchases. Every page needs a signed-in buyer account; every POST passes
 * `requireCsrf`.
 *
 * The upload reads the file with the plan extractor (the crawler's), shows each row as the
 * tender it would become with its problems, and carries the readable rows to the save button in
 * a signed hidden field: HMAC-SHA256 with the session secret over the session id, the buyer and
 * the rows, valid for an hour. Saving records them as a run of source `plan-<buyer id>` with the
 * crawl's change tracking, so the same file saved twice changes nothing.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { isCrawlError } from "../../crawlers/errors.js";
import {
  findCpvCodes,
  isPlaceholder,
  parseEstimatedValue,
  parseExpectedPublication,
} from "../../crawlers/plan/fields.js";
import { extractPlan } from "../../crawlers/plan/extract.js";
import { PlanItem } from "../../crawlers/plan/plan-item.js";
import { planItemsToTenders, withClassifiedCpv } from "../../crawlers/plan/plan-to-tender.js";
import { toPlanItem } from "../../crawlers/plan/to-plan-item.js";
import type { Account } from "../domain/account.js";
import { AppError } from "../domain/errors.js";
import { CpvCode } from "../domain/cpv.js";
import { type Lot, RESERVATIONS, type Reservation, type Tender } from "../domain/tender.js";
import { z } from "../domain/zod.js";
import type { AppEnv } from "../routes/app-env.js";
import { recordSourceOutput } from "../services/ingest.service.js";
import { buyerInsight } from "../services/matching.service.js";
import { createTender, getTender, patchTender, withdrawTender } from "../services/tenders.service.js";
import { pageContext } from "./page-context.js";
import { BuyerInsightPage } from "./pages/buyer-insight.page.js";
import {
  BuyerForbiddenPage,
  BuyerPlanPage,
  BuyerTenderFormPage,
  type TenderForm,
  type TenderFormErrors,
  emptyTenderForm,
  tenderFormOf,
} from "./pages/buyer-plan.page.js";
import {
  BuyerUploadErrorPage,
  BuyerUploadPage,
  BuyerUploadPreviewPage,
  BuyerUploadSavedPage,
  type PreviewRow,
  type RowProblem,
} from "./pages/buyer-upload.page.js";
import { requireCsrf } from "./csrf.js";
import { render } from "./render.js";
import { constantTimeEqual, csrfToken, sessionSecret } from "./session.js";

/** Largest plan file accepted. */
export const MAX_PLAN_BYTES = 2 * 1024 * 1024;
/** Room for the multipart envelope and the other fields around the file. */
const UPLOAD_OVERHEAD_BYTES = 64 * 1024;
/** How long a preview can still be saved. */
const DRAFT_TTL_MS = 60 * 60 * 1000;
/** Lot rows of the form beyond the tender's own lots. */
const SPARE_LOT_ROWS = 2;

type BuyerAccount = Account & { buyerId: string };

function buyerAccountOf(c: Context<AppEnv>): BuyerAccount | undefined {
  const actor = c.get("actor");
  if (actor.kind !== "account") return undefined;
  const { account } = actor;
  return account.role === "buyer" && account.buyerId ? { ...account, buyerId: account.buyerId } : undefined;
}

function theBuyer(c: Context<AppEnv>): BuyerAccount {
  const account = buyerAccountOf(c);
  if (!account) throw new AppError("FORBIDDEN", "only buyer accounts use these pages");
  return account;
}

/** Anonymous visitors go to sign-in; accounts that do not act for a buyer get a 403 page. */
const requireBuyer = createMiddleware<AppEnv>(async (c, next) => {
  const actor = c.get("actor");
  if (actor.kind !== "account") {
    if (c.req.method !== "GET") return c.redirect("/sign-in?next=/buyer/plan", 303);
    return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
  }
  if (!buyerAccountOf(c)) return render(c, <BuyerForbiddenPage ctx={pageContext(c)} />, 403);
  return next();
});

const formText = async (c: Context<AppEnv>, name: string): Promise<string> => {
  const value = (await c.req.parseBody())[name];
  return typeof value === "string" ? value.trim() : "";
};

// ---------------------------------------------------------------------------------------------
// Upload: reading the file, the per-row problems, the signed draft.

/** Whether a cell said something (not a placeholder such as "Ikke fastlagt") that was not understood. */
const unread = (cell: string | undefined, understood: boolean) =>
  cell !== undefined && cell.trim() !== "" && !isPlaceholder(cell) && !understood;

/** The row number of an extractor location ("line 4", "sheet Plan, row 7"). */
const rowNumber = (where: string) => /(\d+)\D*$/.exec(where)?.[1] ?? where;

async function readUpload(
  bytes: Uint8Array,
  fileName: string,
  buyer: { name: string; country: string },
): Promise<{ rows: PreviewRow[] } | { failure: "format" | "no-plan" }> {
  const known = /\.(csv|tsv|xlsx)$/i.test(fileName);
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!known && !zip) return { failure: "format" };
  let extracted: Awaited<ReturnType<typeof extractPlan>>;
  try {
    extracted = await extractPlan({ bytes, fileName, url: fileName });
  } catch (error) {
    if (isCrawlError(error)) return { failure: "no-plan" };
    throw error;
  }
  if (extracted.format === "html") return { failure: "format" };
  if (extracted.rows.length === 0) return { failure: "no-plan" };
  const { defaultClassifier } = await import("../classify/classifier.js");
  const classifier = defaultClassifier();
  const rows: PreviewRow[] = [];
  for (const raw of extracted.rows) {
    const { item, errors } = toPlanItem(raw, { buyer: buyer.name, country: buyer.country });
    const problems: RowProblem[] = errors.map((detail) => ({ kind: "row", detail }));
    if (item) {
      const f = raw.fields;
      if (unread(f.expectedPublication, item.expectedPublication !== undefined))
        problems.push({ kind: "publication", detail: f.expectedPublication ?? "" });
      if (unread(f.estimatedValue, item.estimatedValue !== undefined))
        problems.push({ kind: "value", detail: f.estimatedValue ?? "" });
      if (unread(f.cpv, findCpvCodes(f.cpv ?? "", { field: true }).length > 0))
        problems.push({ kind: "cpv", detail: f.cpv ?? "" });
    }
    const classified =
      item && problems.length === 0 ? withClassifiedCpv([item], buyer.country, classifier)[0] : item;
    rows.push({ row: rowNumber(raw.where), problems, ...(classified ? { item: classified } : {}) });
  }
  return { rows };
}

const Draft = z.object({
  buyerId: z.string(),
  issuedAt: z.number(),
  items: z.array(PlanItem).min(1).max(5_000),
});
type Draft = z.infer<typeof Draft>;

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The MAC binds the draft to this browser session (its id never appears in the page). */
const draftMac = (c: Context<AppEnv>, payload: string) =>
  hmacHex(sessionSecret(c), `plan-draft:${c.get("session")?.id ?? ""}:${payload}`);

async function signDraft(c: Context<AppEnv>, draft: Draft): Promise<string> {
  const payload = Buffer.from(JSON.stringify(draft), "utf8").toString("base64url");
  return `${payload}.${await draftMac(c, payload)}`;
}

async function openDraft(c: Context<AppEnv>, value: string, buyerId: string): Promise<Draft | undefined> {
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const payload = value.slice(0, dot);
  if (!constantTimeEqual(value.slice(dot + 1), await draftMac(c, payload))) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const parsed = Draft.safeParse(json);
  if (!parsed.success || parsed.data.buyerId !== buyerId) return undefined;
  const age = c.var.deps.clock().getTime() - parsed.data.issuedAt;
  return age >= 0 && age <= DRAFT_TTL_MS ? parsed.data : undefined;
}

async function uploadFailure(c: Context<AppEnv>, reason: "format" | "no-plan" | "size" | "draft") {
  return render(
    c,
    <BuyerUploadErrorPage ctx={pageContext(c)} csrf={await csrfToken(c)} reason={reason} />,
    400,
  );
}

// ---------------------------------------------------------------------------------------------
// The tender form.

const cpvList = (text: string): { codes: string[]; bad: string[] } => {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== "");
  const codes: string[] = [];
  const bad: string[] = [];
  for (const p of parts) {
    const parsed = CpvCode.safeParse(p);
    if (parsed.success) codes.push(parsed.data);
    else bad.push(p);
  }
  return { codes, bad };
};

async function readTenderForm(c: Context<AppEnv>): Promise<TenderForm> {
  const body = await c.req.parseBody();
  const text = (name: string) => {
    const v = body[name];
    return typeof v === "string" ? v.trim() : "";
  };
  const lots: TenderForm["lots"] = [];
  for (let i = 0; i < 100 && (`lotTitle${i}` in body || `lotCpv${i}` in body); i++) {
    lots.push({ id: text(`lotId${i}`), title: text(`lotTitle${i}`), cpv: text(`lotCpv${i}`) });
  }
  const reserved = text("reserved");
  return {
    title: text("title"),
    description: text("description"),
    expectedPublication: text("expectedPublication"),
    value: text("value"),
    cpv: text("cpv"),
    reserved: (RESERVATIONS as readonly string[]).includes(reserved) ? (reserved as Reservation) : "none",
    lots,
  };
}

type ParsedTenderForm = {
  title: string;
  description: string;
  reserved: Reservation;
  expectedPublication?: Tender["expectedPublication"];
  estimatedValue?: Tender["estimatedValue"];
  lots: Lot[];
};

function parseTenderForm(
  form: TenderForm,
  country: string,
): { ok?: ParsedTenderForm; errors: TenderFormErrors } {
  const errors: TenderFormErrors = {};
  if (form.title === "") errors.title = "required";
  else if (form.title.length > 500) errors.title = "tooLong";
  const expectedPublication = form.expectedPublication
    ? parseExpectedPublication(form.expectedPublication)
    : undefined;
  if (form.expectedPublication && !expectedPublication) errors.expectedPublication = "period";
  const estimatedValue = form.value ? parseEstimatedValue(form.value, country) : undefined;
  if (form.value && !estimatedValue) errors.value = "value";
  const top = cpvList(form.cpv);
  if (top.bad.length > 0) errors.cpv = "cpv";
  const filled = form.lots.filter((l) => l.title !== "" || l.cpv !== "");
  const lots: Lot[] = [];
  filled.forEach((l, i) => {
    const codes = cpvList(l.cpv);
    if (l.title === "") errors[`lotTitle${form.lots.indexOf(l)}`] = "required";
    if (codes.bad.length > 0) errors[`lotCpv${form.lots.indexOf(l)}`] = "cpv";
    lots.push({
      id: l.id || `LOT-${String(i + 1).padStart(4, "0")}`,
      title: l.title || form.title,
      cpv: codes.codes,
    });
  });
  if (filled.length > 0 && top.codes.length > 0) errors.cpv = "perLot";
  if (new Set(lots.map((l) => l.id)).size !== lots.length) {
    lots.forEach((l, i) => (l.id = `LOT-${String(i + 1).padStart(4, "0")}`));
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    ok: {
      title: form.title,
      description: form.description,
      reserved: form.reserved,
      ...(expectedPublication ? { expectedPublication } : {}),
      ...(estimatedValue ? { estimatedValue } : {}),
      lots: lots.length > 0 ? lots : [{ id: "LOT-0001", title: form.title, cpv: top.codes }],
    },
  };
}

/** Spare empty lot rows after the filled ones, for a form without script. */
function withSpareLots(form: TenderForm): TenderForm {
  const filled = form.lots.filter((l) => l.title !== "" || l.cpv !== "");
  return {
    ...form,
    lots: [...filled, ...Array.from({ length: SPARE_LOT_ROWS }, () => ({ id: "", title: "", cpv: "" }))],
  };
}

async function ownPlanned(
  c: Context<AppEnv>,
  account: BuyerAccount,
  id: string,
): Promise<Tender | undefined> {
  try {
    const { tender } = await getTender(c.var.deps, id);
    return tender.buyer.id === account.buyerId ? tender : undefined;
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return undefined;
    throw error;
  }
}

async function planPage(c: Context<AppEnv>, notice?: string) {
  const account = theBuyer(c);
  const { deps } = c.var;
  const buyer = await deps.store.buyers.get(account.buyerId);
  const planned = await deps.store.tenders.byBuyer(account.buyerId, ["planned"]);
  const tenders = planned
    .map((s) => s.tender)
    .sort(
      (a, b) =>
        (a.expectedPublication?.date ?? "9999").localeCompare(b.expectedPublication?.date ?? "9999") ||
        a.title.localeCompare(b.title),
    );
  return render(
    c,
    <BuyerPlanPage
      ctx={pageContext(c)}
      csrf={await csrfToken(c)}
      buyer={{ id: account.buyerId, name: buyer?.name ?? account.buyerId }}
      tenders={tenders}
      {...(notice ? { notice } : {})}
    />,
  );
}

async function formPage(
  c: Context<AppEnv>,
  form: TenderForm,
  errors: TenderFormErrors,
  tenderId: string | undefined,
  status: 200 | 400 | 409 = 200,
) {
  return render(
    c,
    <BuyerTenderFormPage
      ctx={pageContext(c)}
      csrf={await csrfToken(c)}
      form={withSpareLots(form)}
      errors={errors}
      {...(tenderId ? { tenderId } : {})}
      {...(status === 409 ? { conflict: true } : {})}
    />,
    status,
  );
}

const NOTICES = ["created", "changed", "withdrawn"] as const;

export const buyerPages = new Hono<AppEnv>()
  .use("/buyer/*", requireBuyer)
  .use(
    "/buyer/plan/upload",
    bodyLimit({
      maxSize: MAX_PLAN_BYTES + UPLOAD_OVERHEAD_BYTES,
      onError: (c) => uploadFailure(c, "size"),
    }),
  )
  .use("/buyer/*", requireCsrf)
  .get("/buyer/plan", async (c) => {
    const t = pageContext(c).t.buyer.notices;
    const n = c.req.query("done");
    const notice = NOTICES.find((k) => k === n);
    return planPage(c, notice ? t[notice] : undefined);
  })
  .get("/buyer/plan/new", (c) => formPage(c, emptyTenderForm(), {}, undefined))
  .post("/buyer/plan/new", async (c) => {
    const account = theBuyer(c);
    const buyer = await c.var.deps.store.buyers.get(account.buyerId);
    const form = await readTenderForm(c);
    const { ok, errors } = parseTenderForm(form, buyer?.country ?? "DK");
    if (!ok) return formPage(c, form, errors, undefined, 400);
    await createTender(c.var.deps, c.get("actor"), {
      stage: "planned",
      title: ok.title,
      ...(ok.description ? { description: ok.description } : {}),
      reserved: ok.reserved,
      lots: ok.lots,
      ...(ok.expectedPublication ? { expectedPublication: ok.expectedPublication } : {}),
      ...(ok.estimatedValue ? { estimatedValue: ok.estimatedValue } : {}),
    });
    return c.redirect("/buyer/plan?done=created", 303);
  })
  .get("/buyer/plan/upload", async (c) =>
    render(c, <BuyerUploadPage ctx={pageContext(c)} csrf={await csrfToken(c)} />),
  )
  .post("/buyer/plan/upload", async (c) => {
    const account = theBuyer(c);
    const file = (await c.req.parseBody())["file"];
    if (!(file instanceof File) || file.size === 0) return uploadFailure(c, "format");
    if (file.size > MAX_PLAN_BYTES) return uploadFailure(c, "size");
    const buyer = await c.var.deps.store.buyers.get(account.buyerId);
    const read = await readUpload(new Uint8Array(await file.arrayBuffer()), file.name, {
      name: buyer?.name ?? account.buyerId,
      country: buyer?.country ?? "DK",
    });
    if ("failure" in read) return uploadFailure(c, read.failure);
    const items = read.rows.flatMap((r) => (r.item && r.problems.length === 0 ? [r.item] : []));
    const draft =
      items.length > 0
        ? await signDraft(c, { buyerId: account.buyerId, issuedAt: c.var.deps.clock().getTime(), items })
        : undefined;
    return render(
      c,
      <BuyerUploadPreviewPage
        ctx={pageContext(c)}
        csrf={await csrfToken(c)}
        fileName={file.name}
        rows={read.rows}
        {...(draft ? { draft } : {})}
      />,
    );
  })
  .post("/buyer/plan/upload/save", async (c) => {
    const account = theBuyer(c);
    const { deps } = c.var;
    const draft = await openDraft(c, await formText(c, "draft"), account.buyerId);
    if (!draft) return uploadFailure(c, "draft");
    const buyer = await deps.store.buyers.get(account.buyerId);
    if (!buyer) throw new AppError("NOT_FOUND", `no buyer ${account.buyerId}`);
    const sourceId = `plan-${buyer.id}`;
    const tenders = planItemsToTenders(draft.items, { sourceId, buyer, now: deps.clock().toISOString() });
    const runId = await deps.store.sources.startRun(sourceId);
    // An upload may be a part of the plan: items it leaves out are withdrawn on the plan page,
    // not by their absence.
    const result = await recordSourceOutput(
      deps,
      sourceId,
      runId,
      {
        items: tenders.map((tender) => ({ tender })),
        errors: [],
        notes: [`uploaded by account ${account.id}`],
      },
      { withdrawMissing: false },
    );
    if (result.status === "failed")
      throw new Error(result.errors[0]?.message ?? "the plan could not be saved");
    return render(c, <BuyerUploadSavedPage ctx={pageContext(c)} counts={result.counts} />);
  })
  .get("/buyer/plan/:id/edit", async (c) => {
    const account = theBuyer(c);
    const tender = await ownPlanned(c, account, c.req.param("id"));
    if (!tender) return c.notFound();
    return formPage(c, tenderFormOf(tender, pageContext(c).lang), {}, tender.id);
  })
  .post("/buyer/plan/:id/edit", async (c) => {
    const account = theBuyer(c);
    const tender = await ownPlanned(c, account, c.req.param("id"));
    if (!tender) return c.notFound();
    const form = await readTenderForm(c);
    const { ok, errors } = parseTenderForm(form, tender.buyer.country);
    if (!ok) return formPage(c, form, errors, tender.id, 400);
    try {
      await patchTender(c.var.deps, c.get("actor"), tender.id, {
        title: ok.title,
        description: ok.description,
        reserved: ok.reserved,
        lots: ok.lots,
        expectedPublication: ok.expectedPublication ?? null,
        estimatedValue: ok.estimatedValue ?? null,
      });
    } catch (error) {
      if (error instanceof AppError && error.code === "CONFLICT")
        return formPage(c, form, {}, tender.id, 409);
      throw error;
    }
    return c.redirect("/buyer/plan?done=changed", 303);
  })
  .post("/buyer/plan/:id/withdraw", async (c) => {
    const account = theBuyer(c);
    const tender = await ownPlanned(c, account, c.req.param("id"));
    if (!tender) return c.notFound();
    await withdrawTender(c.var.deps, c.get("actor"), tender.id);
    return c.redirect("/buyer/plan?done=withdrawn", 303);
  })
  .get("/buyer/insight", async (c) => {
    const account = theBuyer(c);
    const insight = await buyerInsight(c.var.deps, account.buyerId);
    return render(c, <BuyerInsightPage ctx={pageContext(c)} insight={insight} />);
  });
