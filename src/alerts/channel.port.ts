import type { AlertEvent, AlertLanguage, Subscription } from "../domain/subscription.js";
import type { Tender } from "../domain/tender.js";

/**
 * What the delivery job hands to a channel, and what it gets back. The store's outbox holds one
 * delivery per (subscription, tender, event, tender version); an instant subscription sends one
 * item per message, a daily one groups its due items into a digest.
 */

/** One alert: an event on a tender, as the tender was at that version. */
export interface AlertItem {
  event: AlertEvent;
  /** The tender at the version that caused the event (a snapshot kept in the outbox). */
  tender: Tender;
  version: number;
  /** `<subscription id>:<tender id>:<event>:<version>` hashed: the same alert always has the same key. */
  idempotencyKey: string;
  /** When the event happened (the change's time). */
  occurredAt: string;
  /** Public page of the tender. */
  link: string;
  /** For `tender.changed`: the material fields that changed. */
  changes?: { field: string; from: unknown; to: unknown }[];
  /** For `tender.published`: the tender that published the planned purchase. */
  publishedAs?: { id: string; title: string; link: string };
  /**
   * For `consortium.opportunity`: the group and who covers what; `joined` when the group became
   * feasible because that enterprise registered or updated its profile.
   */
  consortium?: {
    members: { id: string; name: string }[];
    lots: string[];
    joined?: { id: string; name: string; reason: "registered" | "updated" };
  };
}

/** One message: one item (instant) or several (daily digest). */
export interface OutgoingAlert {
  subscription: Subscription;
  items: AlertItem[];
  /** The message's key: the item's key, or for a digest a hash of its items' keys. */
  idempotencyKey: string;
  /** One-click unsubscribe (RFC 8058), works without signing in. */
  unsubscribeUrl: string;
  /** ISO date-time of this attempt. */
  deliveredAt: string;
  language: AlertLanguage;
  /** A test message the owner asked for (`POST /api/subscriptions/:id/test`), not a stored alert. */
  test?: boolean;
}

export type ChannelResult =
  | { ok: true; detail?: string }
  /** `retryable: false` for answers that will not change (a 4xx from a webhook other than 408/429, a refused address). */
  | { ok: false; retryable: boolean; error: string };

export interface AlertChannel {
  send(alert: OutgoingAlert): Promise<ChannelResult>;
}
