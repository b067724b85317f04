import { ALERT_EVENTS, type AlertEvent } from "../../domain/subscription.js";
import type { OutgoingAlert } from "../channel.port.js";
import { type ItemView, contextOf, describeItem, itemTextLines, oneLine, shorten } from "./alert-format.js";
import { wordingFor } from "./email.wording.js";

/**
 * Renders an alert e-mail: subject, plain text, HTML and the headers that identify it. Pure (no
 * I/O, no clock): the transports in email.channel.ts send or store what this returns.
 *
 * One item (an instant subscription) gets the event in the subject ("Nyt udbud: …"); a daily
 * subscription, or a message with several items, is a digest with the items grouped by event in
 * the order of ALERT_EVENTS.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /**
   * `Message-ID` (from the idempotency key, so a resend carries the same id), `List-Unsubscribe`
   * and `List-Unsubscribe-Post` (RFC 8058 one-click), `X-Jointbid-Event` (the event, or the
   * events of a digest separated by ", "), `Auto-Submitted: auto-generated` (RFC 3834).
   */
  headers: Record<string, string>;
}

const SUBJECT_MAX = 150;

/**
 * `<key@jointbid>`. Characters other than letters, digits, `_` and `-` are percent-encoded, so
 * any key gives a valid msg-id (RFC 5322 dot-atom) and two keys never give the same id.
 */
export function messageIdFor(idempotencyKey: string): string {
  const local = [...new TextEncoder().encode(idempotencyKey)]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
  return `<${local}@jointbid>`;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The URL if it is http(s), normalised; anything else (javascript:, garbage) gives no link. */
function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the message is a digest: a daily subscription, or anything but exactly one item. */
export function isDigest(alert: OutgoingAlert): boolean {
  return alert.subscription.frequency === "daily" || alert.items.length !== 1;
}

function eventsOf(alert: OutgoingAlert): AlertEvent[] {
  const present = new Set(alert.items.map((i) => i.event));
  return ALERT_EVENTS.filter((e) => present.has(e));
}

const STYLE = {
  body: "margin:0;padding:0;background-color:#f3f4f6;",
  wrapper:
    "max-width:640px;margin:0 auto;padding:24px;background-color:#ffffff;color:#1f2937;" +
    "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;",
  h1: "font-size:22px;line-height:1.3;margin:0 0 16px 0;color:#111827;",
  h2: "font-size:19px;line-height:1.3;margin:24px 0 8px 0;color:#111827;",
  itemTitle: "font-size:17px;line-height:1.3;margin:0 0 8px 0;color:#111827;",
  section: "border-top:1px solid #d1d5db;padding:16px 0;",
  table: "border-collapse:collapse;width:100%;margin:8px 0;",
  th: "text-align:left;vertical-align:top;padding:4px 12px 4px 0;font-weight:bold;white-space:nowrap;",
  td: "vertical-align:top;padding:4px 0;",
  p: "margin:8px 0;",
  link: "color:#1d4ed8;text-decoration:underline;",
  button:
    "display:inline-block;padding:8px 16px;background-color:#1d4ed8;color:#ffffff;" +
    "text-decoration:none;border-radius:4px;font-weight:bold;",
  footer: "border-top:1px solid #d1d5db;margin-top:24px;padding-top:16px;font-size:13px;color:#4b5563;",
} as const;

function link(href: string, text: string, style: string = STYLE.link): string {
  const url = safeUrl(href);
  return url ? `<a href="${escapeHtml(url)}" style="${style}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

function itemHtml(view: ItemView, headingTag: "h2" | "h3"): string {
  const out: string[] = [`<section style="${STYLE.section}">`];
  out.push(`<${headingTag} style="${STYLE.itemTitle}">${link(view.link.href, view.title)}</${headingTag}>`);
  if (view.consortium) {
    out.push(`<p style="${STYLE.p}"><strong>${escapeHtml(view.consortium.sentence)}</strong></p>`);
    if (view.consortium.note) out.push(`<p style="${STYLE.p}">${escapeHtml(view.consortium.note)}</p>`);
    if (view.consortium.lots.length > 0) {
      out.push(
        `<p style="${STYLE.p}">${escapeHtml(view.consortium.lotsLabel)}:</p><ul>` +
          view.consortium.lots.map((l) => `<li>${escapeHtml(l)}</li>`).join("") +
          "</ul>",
      );
    }
  }
  out.push(`<table style="${STYLE.table}"><tbody>`);
  for (const row of view.rows) {
    out.push(
      `<tr><th scope="row" style="${STYLE.th}">${escapeHtml(row.label)}</th>` +
        `<td style="${STYLE.td}">${escapeHtml(row.value)}</td></tr>`,
    );
  }
  out.push("</tbody></table>");
  if (view.changes.length > 0) {
    out.push(`<p style="${STYLE.p}"><strong>${escapeHtml(view.changesLabel)}</strong></p><ul>`);
    for (const c of view.changes) {
      out.push(
        `<li>${escapeHtml(c.label)}: <del>${escapeHtml(c.from)}</del> → <ins>${escapeHtml(c.to)}</ins></li>`,
      );
    }
    out.push("</ul>");
  }
  if (view.publishedAs) {
    const more = view.publishedAs.link
      ? ` (${link(view.publishedAs.link.href, view.publishedAs.link.text)})`
      : "";
    out.push(
      `<p style="${STYLE.p}"><strong>${escapeHtml(view.publishedAs.label)}:</strong> ` +
        `${escapeHtml(view.publishedAs.title)}${more}</p>`,
    );
  }
  for (const note of view.notes) out.push(`<p style="${STYLE.p}">${escapeHtml(note)}</p>`);
  out.push(`<p style="${STYLE.p}">${link(view.link.href, view.link.text, STYLE.button)}</p>`);
  out.push("</section>");
  return out.join("\n");
}

function itemText(view: ItemView): string {
  return [view.title, ...itemTextLines(view), `${view.link.text}: ${view.link.href}`].join("\n");
}

/** The e-mail for an alert, in `alert.language`. */
export function renderAlertEmail(alert: OutgoingAlert): RenderedEmail {
  const language = alert.language;
  const w = wordingFor(language);
  const ctx = contextOf(alert.subscription, language);
  const name = oneLine(alert.subscription.name);
  const views = alert.items.map((item) => describeItem(item, ctx));
  const digest = isDigest(alert);
  const events = eventsOf(alert);

  const subject = shorten(
    oneLine(digest || !views[0] ? w.digestSubject(views.length, name) : views[0].subject),
    SUBJECT_MAX,
  );
  const heading = digest ? w.digestTitle : subject;

  const textParts: string[] = [heading];
  const htmlParts: string[] = [`<h1 style="${STYLE.h1}">${escapeHtml(heading)}</h1>`];
  if (digest) {
    textParts.push(subject);
    htmlParts.push(`<p style="${STYLE.p}">${escapeHtml(subject)}</p>`);
    for (const event of events) {
      const group = views.filter((v) => v.event === event);
      const title = w.groupHeading[event];
      textParts.push(`${title}\n${"=".repeat([...title].length)}`);
      htmlParts.push(`<h2 style="${STYLE.h2}">${escapeHtml(title)}</h2>`);
      for (const view of group) {
        textParts.push(itemText(view));
        htmlParts.push(itemHtml(view, "h3"));
      }
    }
  } else {
    for (const view of views) {
      textParts.push(itemText(view));
      htmlParts.push(itemHtml(view, "h2"));
    }
  }

  const footer = w.footer(name);
  textParts.push(`-- \n${footer}\n${w.unsubscribe}: ${alert.unsubscribeUrl}`);
  htmlParts.push(
    `<p style="${STYLE.footer}">${escapeHtml(footer)}<br>` +
      `${link(alert.unsubscribeUrl, w.unsubscribe)}</p>`,
  );

  const html = [
    "<!DOCTYPE html>",
    `<html lang="${language}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    "</head>",
    `<body style="${STYLE.body}">`,
    `<div role="article" aria-label="${escapeHtml(subject)}" lang="${language}" style="${STYLE.wrapper}">`,
    ...htmlParts,
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");

  const unsubscribe = safeUrl(alert.unsubscribeUrl) ?? oneLine(alert.unsubscribeUrl);
  return {
    subject,
    text: `${textParts.join("\n\n")}\n`,
    html,
    headers: {
      "Message-ID": messageIdFor(alert.idempotencyKey),
      "List-Unsubscribe": `<${unsubscribe}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "X-Jointbid-Event": events.join(", "),
      "Auto-Submitted": "auto-generated",
    },
  };
}
