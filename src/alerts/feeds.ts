import type { AlertLanguage, Subscription } from "../domain/subscription.js";
import type { AlertItem } from "./channel.port.js";
import {
  contextOf,
  describeItem,
  formatExpectedPublication,
  itemTextLines,
  oneLine,
} from "./email/alert-format.js";
import { wordingFor } from "./email/email.wording.js";

/**
 * A subscription's alerts as an Atom 1.0 feed (RFC 4287) and an iCalendar feed (RFC 5545), in
 * the subscription's language. Pure functions: the routes fetch the items and serve the text.
 */

export interface AtomFeedInput {
  subscription: Subscription;
  items: AlertItem[];
  /** The feed's own URL (with its token), for `link rel="self"`. */
  selfUrl: string;
  /** Used as the feed's `updated` when there are no items. */
  now: string | Date;
  language?: AlertLanguage;
}

export interface IcalFeedInput {
  subscription: Subscription;
  items: AlertItem[];
  /** DTSTAMP of every event. */
  now: string | Date;
  language?: AlertLanguage;
}

function isoInstant(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

// ---------------------------------------------------------------------------------------------
// Atom

/** Characters XML 1.0 does not allow, even escaped. */
const XML_INVALID =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Newest first; the key breaks ties so the order is stable. */
function newestFirst(items: AlertItem[]): AlertItem[] {
  return [...items].sort(
    (a, b) =>
      isoInstant(b.occurredAt).localeCompare(isoInstant(a.occurredAt)) ||
      a.idempotencyKey.localeCompare(b.idempotencyKey),
  );
}

/**
 * The Atom feed: id `urn:jointbid:subscription:<id>`, one entry per item with the stable id
 * `urn:jointbid:<idempotencyKey>` (a resent or re-read item is the same entry), its event and
 * title as the entry title, the tender's page as its link, and the facts as a text summary.
 */
export function atomFeed(input: AtomFeedInput): string {
  const { subscription } = input;
  const language = input.language ?? subscription.language;
  const w = wordingFor(language);
  const ctx = contextOf(subscription, language);
  const items = newestFirst(input.items);
  const updated = items[0] ? isoInstant(items[0].occurredAt) : isoInstant(input.now);
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${language}">`,
    `  <id>urn:jointbid:subscription:${escapeXml(subscription.id)}</id>`,
    `  <title type="text">${escapeXml(w.feedTitle(oneLine(subscription.name)))}</title>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(input.selfUrl)}"/>`,
    "  <author><name>jointbid</name></author>",
    "  <generator>jointbid</generator>",
  ];
  for (const item of items) {
    const view = describeItem(item, ctx);
    const when = isoInstant(item.occurredAt);
    out.push(
      "  <entry>",
      `    <id>urn:jointbid:${escapeXml(item.idempotencyKey)}</id>`,
      `    <title type="text">${escapeXml(view.subject)}</title>`,
      `    <updated>${when}</updated>`,
      `    <published>${when}</published>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(item.link)}"/>`,
      `    <category term="${escapeXml(item.event)}" label="${escapeXml(w.groupHeading[item.event])}"/>`,
      `    <summary type="text">${escapeXml(itemTextLines(view).join("\n"))}</summary>`,
      "  </entry>",
    );
  }
  out.push("</feed>", "");
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// iCalendar

/** TEXT value escaping (RFC 5545 3.3.11): backslash, `;`, `,` and newlines; other controls dropped. */
export function escapeIcalText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\n/g, "\\n");
}

const utf8 = new TextEncoder();

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): continuation lines start with a space, and a
 * line is never cut inside a UTF-8 character.
 */
export function foldIcalLine(line: string): string {
  if (utf8.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  let limit = 75;
  for (const char of line) {
    const octets = utf8.encode(char).length;
    if (size + octets > limit) {
      parts.push(current);
      current = "";
      size = 0;
      limit = 74; // the leading space counts
    }
    current += char;
    size += octets;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function icalDateTime(iso: string): string {
  return isoInstant(iso)
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function icalDate(isoDate: string, plusDays = 0): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + plusDays);
  return date.toISOString().slice(0, 10).replace(/-/g, "");
}

/** The latest item of each tender: its snapshot is the tender as it now stands. */
function latestPerTender(items: AlertItem[]): AlertItem[] {
  const latest = new Map<string, AlertItem>();
  for (const item of items) {
    const seen = latest.get(item.tender.id);
    if (
      !seen ||
      item.version > seen.version ||
      (item.version === seen.version && isoInstant(item.occurredAt) > isoInstant(seen.occurredAt))
    ) {
      latest.set(item.tender.id, item);
    }
  }
  return [...latest.values()].sort((a, b) => a.tender.id.localeCompare(b.tender.id));
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * The iCalendar feed: for each tender in the items (at its latest version) a timed event at its
 * deadline (UTC) and, while it is planned (not yet published), an all-day event at the start of its expected
 * publication period, the precision in the summary ("Forventet offentliggørelse (forår 2027)").
 * UIDs are stable per kind, tender and subscription (`deadline.<tender id>.<subscription id>@jointbid`),
 * SEQUENCE is the tender version, so a calendar updates an event instead of adding one. A
 * withdrawn or cancelled tender's events are CANCELLED.
 */
export function icalFeed(input: IcalFeedInput): string {
  const { subscription } = input;
  const language = input.language ?? subscription.language;
  const w = wordingFor(language);
  const ctx = contextOf(subscription, language);
  const stamp = icalDateTime(isoInstant(input.now));
  const name = w.calendar.name(oneLine(subscription.name));
  const lines: string[] = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//jointbid//Tender alerts//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `NAME:${escapeIcalText(name)}`,
    `X-WR-CALNAME:${escapeIcalText(name)}`,
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
  ];
  for (const item of latestPerTender(input.items)) {
    const t = item.tender;
    const view = describeItem(item, ctx);
    const description = [...itemTextLines(view), `${view.link.text}: ${item.link}`].join("\n");
    const cancelled = t.stage === "withdrawn" || t.stage === "cancelled";
    const common = (kind: string): string[] => [
      `UID:${escapeIcalText(`${kind}.${t.id}.${subscription.id}@jointbid`)}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${icalDateTime(item.occurredAt)}`,
      `SEQUENCE:${Math.max(0, Math.trunc(item.version))}`,
    ];
    const tail = [
      ...(isHttpUrl(item.link) ? [`URL:${new URL(item.link).href}`] : []),
      `DESCRIPTION:${escapeIcalText(description)}`,
      "TRANSP:TRANSPARENT",
    ];
    if (t.deadline) {
      lines.push(
        "BEGIN:VEVENT",
        ...common("deadline"),
        `DTSTART:${icalDateTime(t.deadline)}`,
        `SUMMARY:${escapeIcalText(w.calendar.deadline(view.title))}`,
        `STATUS:${cancelled ? "CANCELLED" : "CONFIRMED"}`,
        ...tail,
        "END:VEVENT",
      );
    }
    // Once published (the plan-to-notice link), the expected date has served its purpose.
    const published = item.event === "tender.published";
    if (t.expectedPublication && !published && (t.stage === "planned" || cancelled)) {
      const period = formatExpectedPublication(t.expectedPublication, language);
      lines.push(
        "BEGIN:VEVENT",
        ...common("expected-publication"),
        `DTSTART;VALUE=DATE:${icalDate(t.expectedPublication.date)}`,
        `DTEND;VALUE=DATE:${icalDate(t.expectedPublication.date, 1)}`,
        `SUMMARY:${escapeIcalText(w.calendar.expected(period, view.title))}`,
        `STATUS:${cancelled ? "CANCELLED" : "TENTATIVE"}`,
        ...tail,
        "END:VEVENT",
      );
    }
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldIcalLine).join("\r\n") + "\r\n";
}
