import { cpvLabel } from "../../domain/cpv-catalogue.js";
import type { AlertEvent, AlertLanguage, Subscription } from "../../domain/subscription.js";
import type { Money } from "../../domain/common.js";
import type { ExpectedPublication, Reservation, Tender, TenderStage } from "../../domain/tender.js";
import type { AlertItem } from "../channel.port.js";
import { type Wording, wordingFor } from "./email.wording.js";

/**
 * An alert item described in the subscriber's language: the facts, notes and links that the
 * e-mail (text and HTML) and the Atom feed render. Pure: no I/O, no clock.
 */

export interface AlertRow {
  label: string;
  value: string;
}

export interface AlertLink {
  text: string;
  href: string;
}

export interface ItemView {
  event: AlertEvent;
  /** Subject of a one-item e-mail, title of a feed entry ("Nyt udbud: …"). */
  subject: string;
  title: string;
  rows: AlertRow[];
  /** Sentences shown under the facts (a withdrawal, a reservation the plan text mentions). */
  notes: string[];
  /** For `tender.changed`: what changed, from → to, under `changesLabel`. */
  changes: { label: string; from: string; to: string }[];
  changesLabel: string;
  publishedAs?: { label: string; title: string; link?: AlertLink };
  /** `note`: why the group is new, when an enterprise registering or updating its profile made it. */
  consortium?: { sentence: string; note?: string; lotsLabel: string; lots: string[] };
  link: AlertLink;
}

export interface DescribeContext {
  language: AlertLanguage;
  /** IANA zone in which date-times are shown. */
  timeZone: string;
  /** The subscriber's enterprise: "you" in a consortium. */
  enterpriseId?: string | undefined;
}

export function contextOf(subscription: Subscription, language?: AlertLanguage): DescribeContext {
  return {
    language: language ?? subscription.language,
    timeZone: subscription.timeZone,
    enterpriseId: subscription.enterpriseId,
  };
}

/** Control characters out, runs of white space as one space: safe in a subject or a summary line. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, " ").trim();
}

/** A subject or title cut at `max` characters (on a code point), with an ellipsis. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

const upperFirst = (s: string) => (s.length === 0 ? s : s[0]?.toUpperCase() + s.slice(1));

function groupDigits(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** "1.500.000 DKK" (da), "1 500 000 SEK" (sv, nb), "DKK 1,500,000" (en). */
export function formatMoney(money: Pick<Money, "amount" | "currency">, language: AlertLanguage): string {
  const w = wordingFor(language);
  const rounded = Math.round(money.amount * 100) / 100;
  const [whole = "0", fraction] = rounded.toFixed(2).split(".");
  const grouped = groupDigits(whole, w.thousands);
  const amount = fraction && fraction !== "00" ? `${grouped}${w.decimal}${fraction}` : grouped;
  return w.money(amount, money.currency);
}

function seasonOf(month: number, w: Wording): string {
  if (month >= 3 && month <= 5) return w.seasons.spring;
  if (month >= 6 && month <= 8) return w.seasons.summer;
  if (month >= 9 && month <= 11) return w.seasons.autumn;
  return w.seasons.winter;
}

/**
 * An expected publication at its precision: "12. maj 2027", "maj 2027", "2. kvartal 2027",
 * "forår 2027", "første halvår 2027", "2027" (da); "Q2 2027", "Spring 2027" (en).
 */
export function formatExpectedPublication(
  ep: Pick<ExpectedPublication, "date" | "precision">,
  language: AlertLanguage,
): string {
  const w = wordingFor(language);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ep.date);
  if (!match) return ep.date;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const monthName = w.months[month - 1] ?? String(month);
  switch (ep.precision) {
    case "day":
      return w.day(day, monthName, year);
    case "month":
      return `${monthName} ${year}`;
    case "quarter":
      return w.quarter(Math.floor((month - 1) / 3) + 1, year);
    case "season":
      return `${seasonOf(month, w)} ${year}`;
    case "half":
      return w.half(month <= 6 ? 1 : 2, year);
    case "year":
      return String(year);
  }
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function zonedParts(date: Date, timeZone: string): Record<string, string> | undefined {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-GB", {
        timeZone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      });
    } catch {
      return undefined;
    }
    dateTimeFormats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

/** A date-time in the subscriber's zone: "12. maj 2027 kl. 12.00 (Europe/Copenhagen)". */
export function formatDateTime(iso: string, language: AlertLanguage, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const w = wordingFor(language);
  let zone = timeZone;
  let parts = zonedParts(date, zone);
  if (!parts) {
    zone = "UTC";
    parts = zonedParts(date, zone) ?? {};
  }
  const month = w.months[Number(parts.month) - 1] ?? parts.month ?? "";
  const day = w.day(Number(parts.day), month, Number(parts.year));
  const hour = (parts.hour ?? "00").padStart(2, "0");
  return `${w.dateTime(day, hour, parts.minute ?? "00")} (${zone})`;
}

function listJoin(items: string[], and: string): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${and} ${items[items.length - 1]}`;
}

function categories(tender: Tender, language: AlertLanguage, w: Wording): string | undefined {
  if (tender.cpv.length === 0) return undefined;
  const shown = tender.cpv.slice(0, 3).map((code) => {
    const label = cpvLabel(code, language);
    return label ? `${code} ${label}` : code;
  });
  const rest = tender.cpv.length - shown.length;
  return rest > 0 ? `${shown.join("; ")} ${w.labels.more(rest)}` : shown.join("; ");
}

function isMoney(value: unknown): value is Money {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Money).amount === "number" &&
    typeof (value as Money).currency === "string"
  );
}

function isExpected(value: unknown): value is ExpectedPublication {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ExpectedPublication).date === "string" &&
    typeof (value as ExpectedPublication).precision === "string"
  );
}

const FIELD_LABELS: Readonly<Record<string, (w: Wording) => string>> = {
  deadline: (w) => w.labels.deadline,
  estimatedValue: (w) => w.labels.value,
  lots: (w) => w.labels.lots,
  stage: (w) => w.labels.stage,
  reserved: (w) => w.labels.reservation,
  expectedPublication: (w) => w.labels.expectedPublication,
};

/** One side of a change, in words. */
export function formatChangeValue(field: string, value: unknown, ctx: DescribeContext): string {
  const w = wordingFor(ctx.language);
  if (value === null || value === undefined) return w.labels.notStated;
  switch (field) {
    case "deadline":
      return typeof value === "string" ? formatDateTime(value, ctx.language, ctx.timeZone) : String(value);
    case "estimatedValue":
      return isMoney(value) ? formatMoney(value, ctx.language) : JSON.stringify(value);
    case "stage":
      return w.stages[value as TenderStage] ?? String(value);
    case "reserved":
      return w.reservationsShort[value as Reservation] ?? String(value);
    case "expectedPublication":
      return isExpected(value) ? formatExpectedPublication(value, ctx.language) : JSON.stringify(value);
    case "lots":
      return Array.isArray(value) ? w.lotCount(value.length) : String(value);
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return shorten(oneLine(String(value)), 200);
  }
  return shorten(JSON.stringify(value), 200);
}

function consortiumView(item: AlertItem, ctx: DescribeContext, w: Wording): ItemView["consortium"] {
  const group = item.consortium;
  if (!group) return undefined;
  const you = group.members.find((m) => m.id === ctx.enterpriseId);
  const others = group.members.filter((m) => m !== you).map((m) => oneLine(m.name));
  const names = you ? [w.consortium.you, ...others] : others;
  const lotsOfTender = item.tender.lots;
  const covered = lotsOfTender.filter((l) => group.lots.includes(l.id));
  const n = lotsOfTender.length;
  const k = covered.length;
  let cover: string;
  if (k >= n && n === 1) cover = w.consortium.whole;
  else if (k >= n && n === 2) cover = w.consortium.both;
  else if (k >= n) cover = w.consortium.all(w.numberWords[n] ?? String(n));
  else cover = w.consortium.some(k, n);
  const joined = group.joined;
  const note = !joined
    ? undefined
    : joined.id === ctx.enterpriseId
      ? w.consortium.yours(joined.reason)
      : w.consortium.joined(oneLine(joined.name), joined.reason);
  return {
    sentence: upperFirst(w.consortium.sentence(listJoin(names, w.and), cover)),
    ...(note ? { note } : {}),
    lotsLabel: w.labels.coveredLots,
    lots: covered.map((l) => oneLine(l.title)),
  };
}

/** The facts, notes and links of one item, in the subscriber's language. */
export function describeItem(item: AlertItem, ctx: DescribeContext): ItemView {
  const w = wordingFor(ctx.language);
  const t = item.tender;
  const title = oneLine(t.title);
  const rows: AlertRow[] = [];
  const buyer = t.department ? `${oneLine(t.buyer.name)}, ${oneLine(t.department)}` : oneLine(t.buyer.name);
  rows.push({ label: w.labels.buyer, value: buyer });
  rows.push({ label: w.labels.stage, value: w.stages[t.stage] });
  if (t.expectedPublication && (t.stage === "planned" || !t.deadline)) {
    rows.push({
      label: w.labels.expectedPublication,
      value: formatExpectedPublication(t.expectedPublication, ctx.language),
    });
  }
  if (t.deadline) {
    rows.push({ label: w.labels.deadline, value: formatDateTime(t.deadline, ctx.language, ctx.timeZone) });
  }
  rows.push({
    label: w.labels.value,
    value: t.estimatedValue ? formatMoney(t.estimatedValue, ctx.language) : w.labels.notStated,
  });
  rows.push({ label: w.labels.reservation, value: w.reservations[t.reserved] });
  const category = categories(t, ctx.language, w);
  if (category) rows.push({ label: w.labels.category, value: category });
  if (t.lots.length > 1) rows.push({ label: w.labels.lots, value: String(t.lots.length) });

  const notes: string[] = [];
  if (item.event === "tender.withdrawn") notes.push(w.withdrawnNote);
  if (t.reservedHint && (t.reserved === "none" || t.reserved === "unknown")) {
    notes.push(`${w.reservedHint}: ${w.quote(oneLine(t.reservedHint.text))}`);
  }

  const changes =
    item.event === "tender.changed"
      ? (item.changes ?? []).map((c) => ({
          label: FIELD_LABELS[c.field]?.(w) ?? c.field,
          from: formatChangeValue(c.field, c.from, ctx),
          to: formatChangeValue(c.field, c.to, ctx),
        }))
      : [];

  let publishedAs: ItemView["publishedAs"];
  if (item.event === "tender.published") {
    if (item.publishedAs) {
      publishedAs = {
        label: w.labels.publishedAs,
        title: oneLine(item.publishedAs.title),
        link: { text: w.labels.viewNotice, href: item.publishedAs.link },
      };
    } else if (t.notice) {
      publishedAs = {
        label: w.labels.notice,
        title: t.notice.publishedAt ? `${t.notice.id} (${t.notice.publishedAt})` : t.notice.id,
      };
    }
  }

  return {
    event: item.event,
    subject: w.subject(item.event, title, t.stage),
    title,
    rows,
    notes,
    changes,
    changesLabel: w.labels.changes,
    ...(publishedAs ? { publishedAs } : {}),
    ...(item.event === "consortium.opportunity" ? { consortium: consortiumView(item, ctx, w) } : {}),
    link: { text: w.labels.viewTender, href: item.link },
  };
}

/** An item as plain text lines (the e-mail's text part, the Atom summary). */
export function itemTextLines(view: ItemView): string[] {
  const lines: string[] = [];
  if (view.consortium) {
    lines.push(view.consortium.sentence);
    if (view.consortium.note) lines.push(view.consortium.note);
    if (view.consortium.lots.length > 0) {
      lines.push(`${view.consortium.lotsLabel}: ${view.consortium.lots.join("; ")}`);
    }
  }
  for (const row of view.rows) lines.push(`${row.label}: ${row.value}`);
  if (view.changes.length > 0) {
    lines.push(`${view.changesLabel}:`);
    for (const c of view.changes) lines.push(`  - ${c.label}: ${c.from} → ${c.to}`);
  }
  if (view.publishedAs) {
    const link = view.publishedAs.link ? ` <${view.publishedAs.link.href}>` : "";
    lines.push(`${view.publishedAs.label}: ${view.publishedAs.title}${link}`);
  }
  lines.push(...view.notes);
  return lines;
}
