/** Shared by the alert tests: a recording channel, subscriptions and tenders made to order. */
import type { AlertChannel, ChannelResult, OutgoingAlert } from "../../../src/alerts/channel.port.js";
import { randomToken } from "../../../src/domain/hash.js";
import type { z } from "../../../src/domain/zod.js";
import { Subscription, SubscriptionInput, defaultTimeZone } from "../../../src/domain/subscription.js";
import { Tender } from "../../../src/domain/tender.js";
import type { Store } from "../../../src/store/store.js";

export type RecordingChannel = AlertChannel & { sent: OutgoingAlert[]; attempts: OutgoingAlert[] };

/** Records every message; `answer` decides each attempt's result (delivered by default). */
export function recordingChannel(
  answer: (alert: OutgoingAlert, attempt: number) => ChannelResult | Promise<ChannelResult> = () => ({
    ok: true,
  }),
): RecordingChannel {
  const sent: OutgoingAlert[] = [];
  const attempts: OutgoingAlert[] = [];
  return {
    sent,
    attempts,
    async send(alert) {
      attempts.push(alert);
      const result = await answer(alert, attempts.length);
      if (result.ok) sent.push(alert);
      return result;
    },
  };
}

/** The subscription body the API documentation shows (a webhook for cleaning in East Jutland). */
export const DOCUMENTED_SUBSCRIPTION = {
  name: "Rengøring i Østjylland",
  filters: {
    q: "rengøring",
    cpv: ["909"],
    countries: ["DK"],
    stages: ["planned", "open"],
    reservedOnly: false,
    minValue: 100000,
  },
  channel: { type: "webhook", url: "https://example.org/hook", secret: "at least 16 chars" },
  frequency: "instant",
  language: "da",
} satisfies z.input<typeof SubscriptionInput>;

const T0 = "2026-10-01T08:00:00.000Z";

export function tender(extra: Partial<Tender> = {}): Tender {
  return Tender.parse({
    id: "test:t1",
    stage: "planned",
    title: "Rengøring af daginstitutioner",
    description: "Daglig rengøring og vinduespolering i 42 daginstitutioner.",
    language: "da",
    buyer: { id: "dk-0751", name: "Aarhus Kommune", country: "DK" },
    reserved: "none",
    place: { nuts: "DK042", municipality: "0751" },
    lots: [{ id: "LOT-0001", title: "Rengøring", cpv: ["90919300"] }],
    cpv: ["90919300"],
    estimatedValue: { amount: 4_500_000, currency: "DKK" },
    expectedPublication: { date: "2027-04-01", precision: "quarter" },
    firstSeen: T0,
    lastChanged: T0,
    ...extra,
  });
}

let accounts = 0;

/** An account to own subscriptions. */
export async function account(
  store: Store,
  role: "enterprise" | "admin" | "buyer" = "enterprise",
  enterpriseId?: string,
): Promise<string> {
  const { account } = await store.accounts.create(
    {
      email: `alerts${++accounts}-${randomToken(4)}@example.org`,
      role,
      ...(enterpriseId ? { enterpriseId } : {}),
    },
    randomToken(),
  );
  return account.id;
}

/** Stores a subscription straight through the repository. */
export async function subscribe(
  store: Store,
  accountId: string,
  input: Partial<z.input<typeof SubscriptionInput>> = {},
  now = new Date(),
): Promise<Subscription> {
  const parsed = SubscriptionInput.parse({
    name: "Test",
    channel: { type: "email", address: "owner@example.org" },
    ...input,
  });
  const at = now.toISOString();
  const sub = Subscription.parse({
    ...parsed,
    id: `sub-${randomToken(6)}`,
    accountId,
    timeZone: parsed.timeZone ?? defaultTimeZone(parsed.language),
    active: true,
    createdAt: at,
    updatedAt: at,
  });
  await store.subscriptions.create(sub, { feedTokenHash: null, unsubscribeToken: randomToken() });
  return sub;
}

/** Every delivery in the store, oldest first, as plain rows. */
export async function allDeliveries(store: Store) {
  return store.db.query.alertDeliveries.findMany({ orderBy: (d, { asc }) => [asc(d.id)] });
}

export async function allEvents(store: Store) {
  return store.db.query.alertEvents.findMany({ orderBy: (e, { asc }) => [asc(e.id)] });
}
