import { z } from "./zod.js";
import { CountryCode, CurrencyCode, IsoDateTime, NutsCode, Slug } from "./common.js";
import { parseCpvPrefix } from "./cpv.js";
import { TenderStage } from "./tender.js";

/**
 * Subscriptions to tender alerts, the events that alert, and what a delivery carries. This is
 * the contract between the store (subscriptions, outbox), the delivery job, the channels (e-mail,
 * webhook) and the feeds (Atom, iCal).
 */

export const ALERT_LANGUAGES = ["da", "sv", "nb", "en"] as const;
export const AlertLanguage = z.enum(ALERT_LANGUAGES);
export type AlertLanguage = z.infer<typeof AlertLanguage>;

/** CPV prefix filters: "909", "90900000" and "90900000-5" all mean group 909. */
const CpvPrefix = z
  .string()
  .refine((s) => parseCpvPrefix(s) !== undefined, "a CPV code or prefix of 2–8 digits (909, 90900000)")
  .transform((s) => parseCpvPrefix(s) ?? s);

/**
 * What a tender must match. Fields are ANDed, values within a field ORed, as in the search API.
 * `cpv` and `nuts` are prefixes. Values compare after conversion to EUR (`currency` is the
 * currency of `minValue`/`maxValue`, EUR when absent); a tender without a value passes a value
 * filter (a planned purchase seldom states one, and a missed alert is worse than an extra one).
 */
export const SubscriptionFilters = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  cpv: z.array(CpvPrefix).max(50).optional(),
  buyers: z.array(Slug).max(100).optional(),
  countries: z.array(CountryCode).max(30).optional(),
  nuts: z.array(NutsCode).max(50).optional(),
  municipalities: z
    .array(z.string().regex(/^\d{4}$/, "a 4-digit municipality code"))
    .max(100)
    .optional(),
  stages: z.array(TenderStage).max(5).optional(),
  reservedOnly: z.boolean().default(false),
  minValue: z.number().nonnegative().optional(),
  maxValue: z.number().nonnegative().optional(),
  currency: CurrencyCode.optional(),
});
export type SubscriptionFilters = z.infer<typeof SubscriptionFilters>;

/**
 * `filters`: tenders matching the filters. `profile`: tenders the subscriber's enterprise can
 * bid for alone or in a suggested consortium (the matching engine decides; the filters narrow
 * further). `group-opportunities`: a newly feasible consortium with the subscriber's enterprise
 * in it ("you, A and B together cover all three lots").
 */
export const SUBSCRIPTION_KINDS = ["filters", "profile", "group-opportunities"] as const;
export const SubscriptionKind = z.enum(SUBSCRIPTION_KINDS);
export type SubscriptionKind = z.infer<typeof SubscriptionKind>;

export const EmailChannel = z.object({ type: z.literal("email"), address: z.email() });
export const WebhookChannel = z.object({
  type: z.literal("webhook"),
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 key for `X-Jointbid-Signature`; never shown back. */
  secret: z.string().min(16).max(200),
});
export const Channel = z.discriminatedUnion("type", [EmailChannel, WebhookChannel]);
export type Channel = z.infer<typeof Channel>;

export const FREQUENCIES = ["instant", "daily"] as const;
export const Frequency = z.enum(FREQUENCIES);
export type Frequency = z.infer<typeof Frequency>;

/** An IANA time zone the runtime knows ("Europe/Copenhagen"). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "an IANA time zone such as Europe/Copenhagen");

const DEFAULT_TIME_ZONE: Readonly<Record<AlertLanguage, string>> = {
  da: "Europe/Copenhagen",
  sv: "Europe/Stockholm",
  nb: "Europe/Oslo",
  en: "Europe/London",
};

export function defaultTimeZone(language: AlertLanguage): string {
  return DEFAULT_TIME_ZONE[language];
}

const subscriptionFields = {
  name: z.string().trim().min(1).max(200),
  kind: SubscriptionKind.default("filters"),
  filters: SubscriptionFilters.default({ reservedOnly: false }),
  /** For `profile` and `group-opportunities`: the enterprise (an enterprise account's own by default). */
  enterpriseId: Slug.optional(),
  channel: Channel,
  frequency: Frequency.default("instant"),
  /** Local hour of the daily digest, 0–23 (default 7). */
  digestHour: z.number().int().min(0).max(23).default(7),
  /** Default: the language's capital (Europe/Copenhagen for da). */
  timeZone: TimeZone.optional(),
  language: AlertLanguage.default("en"),
};

/** What an account sends to subscribe. */
export const SubscriptionInput = z.object(subscriptionFields);
export type SubscriptionInput = z.infer<typeof SubscriptionInput>;

/**
 * A change: fields present replace the current ones; fields left out stay as they are (so the
 * fields here have no defaults: a default would fill in, and overwrite, what was not sent).
 */
export const SubscriptionPatch = z
  .object({
    ...subscriptionFields,
    kind: SubscriptionKind,
    filters: SubscriptionFilters,
    frequency: Frequency,
    digestHour: z.number().int().min(0).max(23),
    language: AlertLanguage,
    active: z.boolean(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "the patch changes nothing");
export type SubscriptionPatch = z.infer<typeof SubscriptionPatch>;

export const Subscription = z.object({
  id: z.string().min(1),
  accountId: z.string().min(1),
  ...subscriptionFields,
  timeZone: TimeZone,
  /** False after an unsubscribe: nothing more is planned for it. */
  active: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Subscription = z.infer<typeof Subscription>;

/** The subscription as its owner sees it: the webhook secret is never shown back. */
export function publicSubscription(s: Subscription): Omit<Subscription, "channel"> & {
  channel: { type: "email"; address: string } | { type: "webhook"; url: string };
} {
  const channel = s.channel.type === "email" ? s.channel : { type: "webhook" as const, url: s.channel.url };
  return { ...s, channel };
}

/** Events that alert. */
export const ALERT_EVENTS = [
  /** A tender (or planned purchase) seen for the first time. */
  "tender.new",
  /** A material change: deadline, value, lots, stage, reservation, expected publication. */
  "tender.changed",
  /** A planned purchase published as a tender (the plan-to-notice link). */
  "tender.published",
  /** A tender withdrawn (by its buyer, or gone from its source's plan). */
  "tender.withdrawn",
  /** A consortium with the subscriber's enterprise became feasible. */
  "consortium.opportunity",
] as const;
export const AlertEvent = z.enum(ALERT_EVENTS);
export type AlertEvent = z.infer<typeof AlertEvent>;

/** Fields whose change is material (alerts `tender.changed`); others change silently. */
export const MATERIAL_FIELDS = [
  "deadline",
  "estimatedValue",
  "lots",
  "stage",
  "reserved",
  "expectedPublication",
] as const;

export const DELIVERY_STATUSES = ["pending", "sent", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Retries stop this long after the first attempt; the delivery is then a dead letter. */
export const RETRY_WINDOW_HOURS = 24;

/**
 * Alert events older than this, with every delivery finished (sent or dead), are pruned with
 * their deliveries by `alerts:prune`; ALERT_RETENTION_DAYS changes it.
 */
export const DEFAULT_ALERT_RETENTION_DAYS = 90;
/** The longest retention accepted (100 years): anything longer is surely a typo. */
export const MAX_ALERT_RETENTION_DAYS = 36_500;
/** Finished deliveries: nothing more will be attempted. */
export const FINISHED_DELIVERY_STATUSES = ["sent", "dead"] as const satisfies readonly DeliveryStatus[];
