import type { DeliveryRecord } from "../store/alerts.js";
import type { AlertItem } from "./channel.port.js";

/** Public page of a tender. */
export function tenderLink(baseUrl: string, tenderId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/tenders/${encodeURIComponent(tenderId)}`;
}

/** One-click unsubscribe (RFC 8058): works without signing in. */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** The Atom and iCal feed addresses of a feed token. */
export function feedUrls(baseUrl: string, token: string): { atom: string; ical: string } {
  const base = `${baseUrl.replace(/\/+$/, "")}/api/feeds/${encodeURIComponent(token)}`;
  return { atom: `${base}/atom`, ical: `${base}/ical` };
}

/** The AlertItem of a stored delivery: its event's tender snapshot and what the delivery adds. */
export function alertItemOf(record: DeliveryRecord, baseUrl: string): AlertItem {
  return {
    event: record.event,
    tender: record.tender,
    version: record.version,
    idempotencyKey: record.idempotencyKey,
    occurredAt: record.occurredAt,
    link: tenderLink(baseUrl, record.tenderId),
    ...(record.changes ? { changes: record.changes } : {}),
    ...(record.publishedAs
      ? {
          publishedAs: {
            id: record.publishedAs.id,
            title: record.publishedAs.title,
            link: tenderLink(baseUrl, record.publishedAs.id),
          },
        }
      : {}),
    ...(record.consortium ? { consortium: record.consortium } : {}),
  };
}
