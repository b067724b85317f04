/**
 * Tenders, subscriptions, alert items and outgoing alerts for the channel and feed tests.
 * Everything goes through the domain schemas, so a fixture is a value the store could hold.
 */
import type { AlertItem, OutgoingAlert } from "../../src/alerts/channel.port.js";
import { type AlertEvent, type AlertLanguage, Subscription } from "../../src/domain/subscription.js";
import { Tender } from "../../src/domain/tender.js";

export const NOW = "2027-03-01T08:00:00.000Z";

export function aTender(overrides: Partial<Record<keyof Tender, unknown>> = {}): Tender {
  return Tender.parse({
    id: "udbud:2027-0042",
    stage: "open",
    title: "Rengøring af kommunale bygninger",
    description: "Daglig rengøring af skoler og rådhus.",
    language: "da",
    buyer: { id: "aarhus-kommune", name: "Aarhus Kommune", country: "DK" },
    reserved: "res-ws",
    lots: [
      { id: "LOT-1", title: "Skoler", cpv: ["90911200"] },
      { id: "LOT-2", title: "Rådhus", cpv: ["90911200"] },
      { id: "LOT-3", title: "Vinduespolering", cpv: ["90911300"] },
    ],
    cpv: ["90911200", "90911300"],
    estimatedValue: { amount: 1_500_000, currency: "DKK" },
    deadline: "2027-05-12T10:00:00Z",
    firstSeen: "2027-02-27T09:00:00Z",
    lastChanged: "2027-02-28T09:00:00Z",
    ...overrides,
  });
}

export function aPlannedTender(overrides: Partial<Record<keyof Tender, unknown>> = {}): Tender {
  const { deadline: _d, ...base } = aTender();
  return Tender.parse({
    ...base,
    id: "plan:aarhus-2027-7",
    stage: "planned",
    title: "Vinduespolering 2028",
    reserved: "res-pub-ser",
    lots: [{ id: "LOT-0001", title: "Vinduespolering 2028", cpv: ["90911300"] }],
    cpv: ["90911300"],
    estimatedValue: undefined,
    expectedPublication: { date: "2027-03-01", precision: "season", raw: "forår 2027" },
    ...overrides,
  });
}

export function aSubscription(
  overrides: Partial<Record<keyof Subscription, unknown>> = {},
  channel: Subscription["channel"] = { type: "email", address: "kontakt@rengoer.example" },
): Subscription {
  return Subscription.parse({
    id: "sub_1",
    accountId: "acc_1",
    name: "Rengøring i Østjylland",
    kind: "filters",
    filters: { reservedOnly: false },
    enterpriseId: "rengoer-aps",
    channel,
    frequency: "instant",
    digestHour: 7,
    timeZone: "Europe/Copenhagen",
    language: "da",
    active: true,
    createdAt: "2027-01-01T00:00:00Z",
    updatedAt: "2027-01-01T00:00:00Z",
    ...overrides,
  });
}

export function anItem(
  event: AlertEvent = "tender.new",
  tender: Tender = aTender(),
  overrides: Partial<AlertItem> = {},
): AlertItem {
  return {
    event,
    tender,
    version: 1,
    idempotencyKey: `k-${event.replace(".", "-")}-${tender.id.replace(/[^a-z0-9]/gi, "")}`,
    occurredAt: "2027-02-28T09:00:00.000Z",
    link: `https://jointbid.example.org/tenders/${encodeURIComponent(tender.id)}`,
    ...overrides,
  };
}

export function anAlert(
  items: AlertItem[],
  options: { language?: AlertLanguage; subscription?: Subscription; key?: string } = {},
): OutgoingAlert {
  const language = options.language ?? "da";
  const subscription = options.subscription ?? aSubscription({ language });
  return {
    subscription,
    items,
    idempotencyKey: options.key ?? items[0]?.idempotencyKey ?? "empty",
    unsubscribeUrl: `https://jointbid.example.org/unsubscribe/tok_${subscription.id}`,
    deliveredAt: NOW,
    language,
  };
}
