import { ZodError } from "zod";
import { Buyer } from "../../src/domain/buyer.js";
import { IsoDate, IsoDateTime, type Money, languageOfCountry } from "../../src/domain/common.js";
import { cpvEntry } from "../../src/domain/cpv-catalogue.js";
import { uniqueCodes } from "../../src/domain/cpv.js";
import { fold } from "../../src/domain/text.js";
import { type Lot, NoticeRef, type Reservation, Tender, type TenderStage } from "../../src/domain/tender.js";
import { z } from "../../src/domain/zod.js";
import { RESERVED_PARTICIPATION, daysToMonths } from "../../src/ocds/ocds-codes.js";
import { CrawlError } from "../errors.js";
import { countryOfCurrency, countryOfName, countryOfNuts, nutsCode, publisherOfOcid } from "./countries.js";
import { type JsonObject, bool, idOf, num, obj, objects, str, strings } from "./json-access.js";

/** One tender read from an OCDS release (or the merged releases of one ocid). */
export interface ParsedRelease {
  tender: Tender;
  buyer: Buyer;
  notice: NoticeRef;
  /** What was odd but did not stop the release from being read. */
  warnings: string[];
}

export interface ReleaseOptions {
  now: string;
  /** Where the package came from; the tender's `sourceUrl` when the release links no notice. */
  sourceUrl?: string;
  /** The buyers' country when the data does not tell it (a source's configuration knows it). */
  country?: string;
}

type NoticeKind = NoticeRef["kind"];

/** Release tags (the open releaseTag codelist) → stage. Unknown tags say nothing. */
const TAG_STAGE: Readonly<Record<string, TenderStage>> = {
  planning: "planned",
  planningUpdate: "planned",
  tender: "open",
  tenderUpdate: "open",
  tenderAmendment: "open",
  award: "awarded",
  awardUpdate: "awarded",
  contract: "awarded",
  contractUpdate: "awarded",
  contractAmendment: "awarded",
  contractTermination: "awarded",
  implementation: "awarded",
  implementationUpdate: "awarded",
  tenderCancellation: "cancelled",
};

/** tender.status (the closed tenderStatus codelist) → stage, when no tag tells it. */
const STATUS_STAGE: Readonly<Record<string, TenderStage>> = {
  planning: "planned",
  planned: "planned",
  active: "open",
  complete: "awarded",
  cancelled: "cancelled",
  unsuccessful: "cancelled",
  withdrawn: "withdrawn",
};

const STAGE_RANK: Readonly<Record<TenderStage, number>> = {
  planned: 0,
  open: 1,
  awarded: 2,
  cancelled: 3,
  withdrawn: 3,
};

const TAG_KIND: Readonly<Record<string, NoticeKind>> = {
  planning: "planning",
  tender: "competition",
  award: "result",
  contract: "result",
  implementation: "result",
  planningUpdate: "change",
  tenderUpdate: "change",
  tenderAmendment: "change",
  tenderCancellation: "change",
  awardUpdate: "change",
  awardCancellation: "change",
  contractUpdate: "change",
  contractAmendment: "change",
  contractTermination: "change",
  implementationUpdate: "change",
  compiled: "other",
};
/** When a release has several tags, the kind listed first here wins. */
const KIND_ORDER: readonly NoticeKind[] = ["result", "competition", "planning", "change", "other"];

/** Document types of the notice pages a reader opens (the documentType codelist). */
const NOTICE_DOCUMENTS = new Set([
  "awardNotice",
  "contractNotice",
  "tenderNotice",
  "plannedProcurementNotice",
  "marketEngagementNotice",
]);

/** Statuses of awards whose suppliers did not (or not yet) win. */
const NO_WIN = new Set(["cancelled", "unsuccessful"]);
/** Lots that are no longer part of the procedure. */
const LOT_GONE = new Set(["cancelled", "unsuccessful", "withdrawn"]);

const HttpUrl = z.url({ protocol: /^https?$/ });

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  apos: "'",
  quot: '"',
  lt: "<",
  gt: ">",
  nbsp: " ",
};

/** Publishers leave HTML entities in text ("St Bede&apos;s"): the common ones are decoded. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,5});/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    const code = lower.startsWith("#x")
      ? parseInt(lower.slice(2), 16)
      : lower.startsWith("#")
        ? Number(lower.slice(1))
        : undefined;
    if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return own(ENTITIES, lower) ?? whole;
  });
}

/** A text field: trimmed, entities decoded. */
function text(value: unknown): string | undefined {
  const s = str(value);
  const decoded = s === undefined ? undefined : decodeEntities(s).trim();
  return decoded === "" ? undefined : decoded;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "2025-01-23T22:10:19Z" → "2025-01-23". */
function datePart(value: unknown): string | undefined {
  const text = str(value);
  const date = text?.slice(0, 10);
  return date !== undefined && IsoDate.safeParse(date).success ? date : undefined;
}

function moneyOf(value: unknown): Money | undefined {
  const o = obj(value);
  const amount = num(o?.amount);
  const currency = str(o?.currency);
  if (amount === undefined || amount < 0 || currency === undefined || !/^[A-Za-z]{3}$/.test(currency)) {
    return undefined;
  }
  return { amount, currency: currency.toUpperCase() };
}

/** `folded-name` for ids: "London Borough of Merton" → "london-borough-of-merton". */
export function slugOf(text: string, max = 100): string {
  return fold(text)
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, max)
    .replace(/^-+|-+$/g, "");
}

/** `ocds:<ocid>` with the characters a tender id may not hold (space, / ? #) replaced by `_`. */
export function tenderIdOfOcid(ocid: string): string {
  return `ocds:${ocid.replace(/[\s/?#]+/g, "_")}`;
}

/** Reads one release. Throws CrawlError("parse") when it cannot become a tender. */
export function releaseToTender(release: JsonObject, options: ReleaseOptions): ParsedRelease {
  const warnings: string[] = [];
  const ocid = str(release.ocid);
  if (ocid === undefined) throw new CrawlError("parse", "the release has no ocid", { missing: ["ocid"] });
  const tender = obj(release.tender) ?? {};
  const title = text(tender.title);
  if (title === undefined) {
    throw new CrawlError("parse", "the release has no tender.title: nothing to call the tender by", {
      missing: ["tender.title"],
    });
  }
  if (title.length > 500) warnings.push("tender.title is longer than 500 characters; cut");

  const org = buyerOrganization(release);
  const { buyer, contact } = readBuyer(org, release, ocid, options, warnings);
  const language = languageOf(release, buyer.country, warnings);
  const tags = strings(release.tag);
  const stage = stageOf(tags, tender, release, warnings);
  const lots = readLots(tender, title, warnings);
  const tenderReserved = reservationOf(obj(tender.otherRequirements)?.reservedParticipation, warnings);
  const lotReservations = new Set(lots.map((l) => l.reserved));
  const [onlyLotReservation] = lotReservations;
  // The tender's own reservation, else the one every lot shares.
  const reserved: Reservation =
    tenderReserved ?? (lotReservations.size === 1 ? onlyLotReservation : undefined) ?? "none";
  const estimatedValue =
    moneyOf(tender.value) ?? moneyOf(obj(obj(release.planning)?.budget)?.amount) ?? sumOf(lots);
  const tenderPeriod = obj(tender.tenderPeriod);
  const deadline = dateTimeOf(tenderPeriod?.endDate, "tender.tenderPeriod.endDate", warnings);
  const expectedDate = stage === "planned" ? datePart(tenderPeriod?.startDate) : undefined;
  const [singleLot, ...otherLots] = objects(tender.lots);
  const contractPeriod =
    periodOf(tender.contractPeriod) ??
    (otherLots.length === 0 ? periodOf(singleLot?.contractPeriod) : undefined);
  const awardedTo = suppliersOf(release);
  const suitability = obj(tender.suitability);
  const sme = bool(suitability?.sme);
  const vcse = bool(suitability?.vcse);
  const nuts = singleNuts(objects(tender.items));
  const sourceUrl = sourceUrlOf(release, stage, options.sourceUrl);
  const description = text(tender.description) ?? "";
  const notice = noticeOf(release, ocid, tags, warnings);

  try {
    const parsed = Tender.parse({
      id: tenderIdOfOcid(ocid),
      stage,
      title: clip(title, 500),
      description: clip(description, 50_000),
      language,
      buyer: { id: buyer.id, name: buyer.name, country: buyer.country },
      reserved,
      ...(nuts ? { place: { nuts } } : {}),
      lots,
      cpv: uniqueCodes(lots.flatMap((l) => l.cpv)),
      ...(estimatedValue ? { estimatedValue } : {}),
      ...(expectedDate ? { expectedPublication: { date: expectedDate, precision: "day" } } : {}),
      ...(deadline ? { deadline } : {}),
      ...(contractPeriod ? { contractPeriod } : {}),
      ...(sme !== undefined ? { smeSuitable: sme } : {}),
      ...(vcse !== undefined ? { vcseSuitable: vcse } : {}),
      ...(awardedTo.length > 0 ? { awardedTo } : {}),
      ...(sourceUrl ? { sourceUrl } : {}),
      ...(contact ? { contact } : {}),
      notice,
      firstSeen: options.now,
      lastChanged: options.now,
    });
    return { tender: parsed, buyer, notice, warnings };
  } catch (error) {
    if (error instanceof ZodError) {
      const problems = error.issues.map((i) => `${i.path.join(".") || "tender"}: ${i.message}`);
      throw new CrawlError("parse", `the release does not make a valid tender: ${problems.join("; ")}`, {
        missing: problems,
      });
    }
    throw error;
  }
}

/** The buyer: the party `buyer` refers to, else `buyer` itself (OCDS 1.0 embeds it), else the party with role buyer. */
function buyerOrganization(release: JsonObject): JsonObject | undefined {
  const parties = objects(release.parties);
  const ref = obj(release.buyer);
  const refId = idOf(ref?.id);
  const byRef = refId === undefined ? undefined : parties.find((p) => idOf(p.id) === refId);
  if (byRef) return ref && !str(byRef.name) ? { ...byRef, name: ref.name } : byRef;
  if (ref && (str(ref.name) || str(obj(ref.identifier)?.legalName))) return ref;
  return parties.find((p) => strings(p.roles).includes("buyer"));
}

function readBuyer(
  org: JsonObject | undefined,
  release: JsonObject,
  ocid: string,
  options: ReleaseOptions,
  warnings: string[],
): { buyer: Buyer; contact?: string } {
  const identifier = obj(org?.identifier);
  const name = text(org?.name) ?? text(identifier?.legalName);
  if (org === undefined || name === undefined) {
    throw new CrawlError("parse", "the release names no buyer (no `buyer` and no party with role buyer)", {
      missing: ["buyer.name"],
    });
  }
  const country = countryOf(org, release, ocid, options, warnings);
  const slug = slugOf(name) || slugOf(idOf(identifier?.id) ?? "") || slugOf(idOf(org.id) ?? "");
  if (slug === "") {
    throw new CrawlError("parse", `the buyer name "${clip(name, 80)}" gives no usable id`, {
      missing: ["buyer.id"],
    });
  }
  let orgId = idOf(identifier?.id);
  if (orgId !== undefined && orgId.length > 40) {
    warnings.push(`the buyer's identifier "${clip(orgId, 60)}" is longer than 40 characters; left out`);
    orgId = undefined;
  }
  const website = [str(obj(org.details)?.url), str(obj(org.contactPoint)?.url)].find(
    (u) => u !== undefined && HttpUrl.safeParse(u).success,
  );
  const buyer = Buyer.parse({
    id: `${country.toLowerCase()}-org-${slug}`,
    name: clip(name, 300),
    kind: "other",
    country,
    ...(orgId ? { orgId } : {}),
    ...(website ? { website } : {}),
  });
  const point = obj(org.contactPoint);
  const contact = [str(point?.name), str(point?.email), str(point?.telephone)]
    .filter((s) => s !== undefined)
    .join(", ");
  return { buyer, ...(contact ? { contact: clip(contact, 500) } : {}) };
}

/**
 * The buyer's country, from the best source there is: its address (country name, or a NUTS code
 * as region), the delivery addresses, the caller's `country`, the publisher known by the ocid
 * prefix, the currency. Each guess past the address is said in a warning. When nothing tells,
 * "XX" (a user-assigned ISO 3166 code, never a real country) with a warning.
 */
function countryOf(
  org: JsonObject,
  release: JsonObject,
  ocid: string,
  options: ReleaseOptions,
  warnings: string[],
): string {
  const address = obj(org.address);
  const named = str(address?.countryName);
  const fromName = named === undefined ? undefined : countryOfName(named);
  if (fromName) return fromName;
  const region = str(address?.region);
  const fromRegion = region === undefined ? undefined : countryOfNuts(region);
  if (fromRegion) return fromRegion;
  if (named !== undefined) warnings.push(`the buyer's country "${clip(named, 60)}" is not a country we know`);
  const tender = obj(release.tender);
  for (const address of deliveryAddresses(objects(tender?.items))) {
    const country = countryOfName(str(address.countryName) ?? "") ?? countryOfNuts(str(address.region) ?? "");
    if (country) {
      warnings.push(`the buyer's country ${country} is taken from the delivery address`);
      return country;
    }
  }
  if (options.country && /^[A-Za-z]{2}$/.test(options.country)) return options.country.toUpperCase();
  const publisher = publisherOfOcid(ocid);
  if (publisher) {
    warnings.push(`the buyer's country ${publisher.country} is taken from the publisher (${publisher.name})`);
    return publisher.country;
  }
  const currency =
    str(obj(tender?.value)?.currency) ?? str(obj(obj(obj(release.planning)?.budget)?.amount)?.currency);
  const fromCurrency = currency === undefined ? undefined : countryOfCurrency(currency);
  if (fromCurrency) {
    warnings.push(`the buyer's country ${fromCurrency} is guessed from the currency ${currency ?? ""}`);
    return fromCurrency;
  }
  warnings.push("the buyer's country is not told anywhere; XX (unknown) is used");
  return "XX";
}

function languageOf(release: JsonObject, country: string, warnings: string[]): string {
  const given = str(release.language)?.toLowerCase();
  if (given !== undefined && /^[a-z]{2,3}$/.test(given)) return given;
  if (given !== undefined) warnings.push(`language "${clip(given, 20)}" is no ISO 639 code; ignored`);
  return languageOfCountry(country);
}

function stageOf(tags: string[], tender: JsonObject, release: JsonObject, warnings: string[]): TenderStage {
  const status = str(tender.status);
  const fromStatus = status === undefined ? undefined : own(STATUS_STAGE, status);
  if (tags.includes("tenderCancellation") || fromStatus === "cancelled") return "cancelled";
  if (fromStatus === "withdrawn") return "withdrawn";
  const won =
    objects(release.awards).some((a) => str(a.status) === "active") || objects(release.contracts).length > 0;
  if (won) return "awarded";
  const fromTags = tags
    .map((t) => own(TAG_STAGE, t))
    .filter((s) => s !== undefined)
    .sort((a, b) => STAGE_RANK[b] - STAGE_RANK[a])[0];
  if (fromTags) return fromTags;
  if (fromStatus) return fromStatus;
  if (obj(release.planning)) return "planned";
  warnings.push("neither tag nor tender.status tells the stage; taken as open");
  return "open";
}

function noticeOf(release: JsonObject, ocid: string, tags: string[], warnings: string[]): NoticeRef {
  let id = idOf(release.id);
  if (id === undefined) {
    warnings.push("the release has no id; the notice is named by its ocid");
    id = ocid;
  }
  const kinds = new Set(tags.map((t) => own(TAG_KIND, t)));
  const kind = KIND_ORDER.find((k) => kinds.has(k)) ?? "other";
  const publishedAt = datePart(release.date);
  return NoticeRef.parse({
    id: clip(id, 200),
    kind,
    ...(tags.length > 0 ? { type: clip(tags.join(","), 60) } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    procedureId: clip(ocid, 200),
  });
}

/** A CPV code from a classification, or undefined for other schemes and unreadable codes. */
function cpvOf(classification: unknown, warnings: string[]): string | undefined {
  const c = obj(classification);
  if (str(c?.scheme)?.toUpperCase() !== "CPV") return undefined;
  const raw = idOf(c?.id);
  if (raw === undefined) return undefined;
  // "45233162-2" (check digit), "45233130.0" (seen in the OCDS sample data), 3000000 (a number
  // that lost its leading zero).
  const match = /^(\d{7,8})(?:[-.]\d+)?$/.exec(raw.replace(/\s+/g, ""));
  if (!match?.[1]) {
    warnings.push(`CPV code "${clip(raw, 40)}" is not 8 digits; left out`);
    return undefined;
  }
  const code = match[1].padStart(8, "0");
  if (!cpvEntry(code)) warnings.push(`CPV code ${code} is not in CPV 2008; kept`);
  return code;
}

function cpvOfHolder(holder: JsonObject, warnings: string[]): string[] {
  return [holder.classification, ...objects(holder.additionalClassifications)].flatMap(
    (c) => cpvOf(c, warnings) ?? [],
  );
}

function deliveryAddresses(items: JsonObject[]): JsonObject[] {
  return items.flatMap((i) => [...objects(i.deliveryAddresses), ...objects([i.deliveryAddress])]);
}

/** The NUTS code of the delivery addresses, when they name exactly one. */
function singleNuts(items: JsonObject[]): string | undefined {
  const codes = new Set(deliveryAddresses(items).flatMap((a) => nutsCode(str(a.region) ?? "") ?? []));
  const [only, ...rest] = codes;
  return rest.length === 0 ? only : undefined;
}

/**
 * Lots from `tender.lots` (lots extension), each with the CPV codes of its items
 * (`items[].relatedLot`). Codes of the tender itself (`tender.classification`, the main code of
 * the procedure) and of items without a lot apply to every lot and come first. No lots: one lot
 * with the tender title.
 */
function readLots(tender: JsonObject, title: string, warnings: string[]): Lot[] {
  const items = objects(tender.items);
  const ocdsLots = objects(tender.lots);
  const lotIds = new Set(ocdsLots.flatMap((l) => idOf(l.id) ?? []));
  const byLot = new Map<string, JsonObject[]>();
  const loose: JsonObject[] = [];
  for (const item of items) {
    const lotId = idOf(item.relatedLot);
    if (lotId !== undefined && lotIds.has(lotId)) byLot.set(lotId, [...(byLot.get(lotId) ?? []), item]);
    else loose.push(item);
  }
  const shared = uniqueCodes([
    ...cpvOfHolder(tender, warnings),
    ...loose.flatMap((i) => cpvOfHolder(i, warnings)),
  ]);
  if (ocdsLots.length === 0) {
    const nuts = singleNuts(items);
    return [{ id: "LOT-0001", title: clip(title, 500), cpv: shared, ...(nuts ? { nuts } : {}) }];
  }
  const live = ocdsLots.filter((l) => !LOT_GONE.has(str(l.status) ?? ""));
  if (live.length < ocdsLots.length && live.length > 0) {
    warnings.push(`${ocdsLots.length - live.length} cancelled or withdrawn lot(s) left out`);
  }
  const lots: Lot[] = [];
  const seen = new Set<string>();
  for (const [index, lot] of (live.length > 0 ? live : ocdsLots).entries()) {
    const ocdsId = idOf(lot.id);
    const id = clip(ocdsId ?? `LOT-${String(index + 1).padStart(4, "0")}`, 60);
    if (seen.has(id)) {
      warnings.push(`lot id ${id} appears twice; the second is left out`);
      continue;
    }
    seen.add(id);
    const lotItems = ocdsId === undefined ? [] : (byLot.get(ocdsId) ?? []);
    const lotCodes = uniqueCodes(lotItems.flatMap((i) => cpvOfHolder(i, warnings)));
    const value = moneyOf(lot.value);
    const nuts = singleNuts(lotItems);
    const reserved = reservationOf(obj(lot.otherRequirements)?.reservedParticipation, warnings);
    const sme = bool(obj(lot.suitability)?.sme);
    const description = text(lot.description);
    lots.push({
      id,
      title: clip(text(lot.title) ?? (ocdsLots.length === 1 ? title : `${title} (lot ${id})`), 500),
      ...(description ? { description: clip(description, 20_000) } : {}),
      cpv: uniqueCodes([...shared, ...lotCodes]),
      ...(value ? { estimatedValue: value } : {}),
      ...(nuts ? { nuts } : {}),
      ...(reserved ? { reserved } : {}),
      ...(sme !== undefined ? { smeSuitable: sme } : {}),
    });
  }
  return lots.slice(0, 500);
}

/** The total of the lots' values, when every lot has one in the same currency. */
function sumOf(lots: Lot[]): Money | undefined {
  const values = lots.map((l) => l.estimatedValue);
  const [first] = values;
  if (!first || values.some((v) => v === undefined || v.currency !== first.currency)) return undefined;
  return { amount: values.reduce((sum, v) => sum + (v?.amount ?? 0), 0), currency: first.currency };
}

/**
 * `reservedParticipation` codes (otherRequirements extension) → reservation. An unknown code
 * still says that participation is reserved: "unknown".
 */
function reservationOf(codes: unknown, warnings: string[]): Reservation | undefined {
  const list = strings(codes);
  if (list.length === 0) return undefined;
  const known = new Set<Reservation>();
  for (const code of list) {
    const mapped = own(RESERVED_PARTICIPATION, code);
    if (mapped) known.add(mapped);
    else warnings.push(`reservedParticipation code "${clip(code, 40)}" is not in the codelist`);
  }
  const [first, ...more] = known;
  if (more.length > 0) warnings.push(`several reservations (${list.join(", ")}); the first is kept`);
  return first ?? "unknown";
}

function dateTimeOf(value: unknown, field: string, warnings: string[]): string | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  if (IsoDateTime.safeParse(text).success) return text;
  warnings.push(`${field} "${clip(text, 40)}" is not a date-time with a time zone; left out`);
  return undefined;
}

/** OCDS Period → contract period: dates, and months from durationInDays or from the dates. */
function periodOf(value: unknown): Tender["contractPeriod"] {
  const period = obj(value);
  if (!period) return undefined;
  const start = datePart(period.startDate);
  const end = datePart(period.endDate);
  const days = num(period.durationInDays);
  let months: number | undefined;
  if (days !== undefined && days > 0) months = daysToMonths(days);
  else if (start && end) {
    const span = (Date.parse(end) - Date.parse(start)) / 86_400_000 + 1;
    if (span > 0) months = daysToMonths(span);
  }
  if (!start && !end && months === undefined) return undefined;
  return { ...(months ? { months } : {}), ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** Suppliers of the awards that stand (active, pending, or with no status given), once each. */
function suppliersOf(release: JsonObject): { name: string; orgId?: string }[] {
  const parties = new Map(
    objects(release.parties).flatMap((p) => (idOf(p.id) ? [[idOf(p.id), p] as const] : [])),
  );
  const out = new Map<string, { name: string; orgId?: string }>();
  for (const award of objects(release.awards)) {
    if (NO_WIN.has(str(award.status) ?? "")) continue;
    for (const supplier of objects(award.suppliers)) {
      const partyId = idOf(supplier.id);
      const party = partyId === undefined ? undefined : parties.get(partyId);
      const name = text(supplier.name) ?? text(party?.name) ?? text(obj(party?.identifier)?.legalName);
      if (name === undefined) continue;
      const orgId = idOf(obj(party?.identifier)?.id) ?? idOf(obj(supplier.identifier)?.id);
      out.set(`${name}\u0000${orgId ?? ""}`, { name, ...(orgId ? { orgId } : {}) });
    }
  }
  return [...out.values()];
}

/** The notice page to read: a notice document (award first once awarded), else a canonical link, else the package. */
function sourceUrlOf(
  release: JsonObject,
  stage: TenderStage,
  packageUrl: string | undefined,
): string | undefined {
  const planning = objects(obj(release.planning)?.documents);
  const tender = objects(obj(release.tender)?.documents);
  const awards = objects(release.awards).flatMap((a) => objects(a.documents));
  const documents =
    stage === "awarded" ? [...awards, ...tender, ...planning] : [...tender, ...planning, ...awards];
  const candidates = [
    ...documents.filter((d) => NOTICE_DOCUMENTS.has(str(d.documentType) ?? "")).map((d) => str(d.url)),
    ...objects(release.links)
      .filter((l) => str(l.rel) === "canonical")
      .map((l) => str(l.href)),
    packageUrl,
  ];
  return candidates.find((u) => u !== undefined && HttpUrl.safeParse(u).success);
}
