/**
 * eForms UBL notice → Tender + Buyer. Pure: no I/O, the clock comes in `options.now`.
 *
 * Reads the business terms that matter for matching social enterprises to contracts: lots
 * (BT-137, scheme Lot, or Part in PIN-only notices), CPV (BT-262/263), place (BT-5071), value
 * (BT-27), reserved participation (BT-71) and execution (BT-736), SME suitability (BT-726),
 * subcontracting (BT-65/64/729/651), lots per bidder (BT-31), deadlines (BT-131, else BT-1311,
 * else BT-630) and, in result notices, the winners per lot. Everything is looked up by local
 * element name, so the namespace prefixes a producer chose do not matter.
 */
import type { Buyer } from "../../src/domain/buyer.js";
import { Buyer as BuyerSchema } from "../../src/domain/buyer.js";
import type { Money } from "../../src/domain/common.js";
import { NutsCode, currencyOfCountry, languageOfCountry } from "../../src/domain/common.js";
import { parseCpv, uniqueCodes } from "../../src/domain/cpv.js";
import type { Lot, NoticeRef, Requirements, Reservation, TenderStage } from "../../src/domain/tender.js";
import { Tender } from "../../src/domain/tender.js";
import { fold } from "../../src/domain/text.js";
import { CrawlError, isCrawlError } from "../errors.js";
import type { NoticeFamily } from "./codes.js";
import {
  buyerKindOf,
  countryOfNuts,
  countryToIso2,
  familyOfNoticeType,
  familyOfRoot,
  familyOfSubtype,
  isKnownBuyerLegalType,
  languageToIso1,
  reservationOfCode,
  reservedExecutionOfCode,
  subcontractingOfObligation,
} from "./codes.js";
import type { Turnover } from "./turnover.js";
import { turnoverFromCriterion } from "./turnover.js";
import type { XmlNode } from "./xml.js";
import {
  all,
  attr,
  child,
  children,
  extensions,
  first,
  firstElement,
  localName,
  parseXml,
  pickLanguage,
  text,
} from "./xml.js";

export interface ParsedNotice {
  tender: Tender;
  buyer: Buyer;
  notice: NoticeRef;
  /** Winners per lot of a result notice (subcontracting leads). */
  winners: { lotId: string; name: string; orgId?: string; country?: string; value?: Money }[];
  /** Things tolerated: unknown codes, missing optional parts. */
  warnings: string[];
}

export interface ParseNoticeOptions {
  /** ISO date-time; becomes firstSeen and lastChanged. */
  now: string;
  sourceUrl?: string;
}

type Winner = ParsedNotice["winners"][number];
type Subcontracting = NonNullable<Lot["subcontracting"]>;

/**
 * BT-701 and BT-04 as hard-coded by OP's ted-xml-data-converter (its `notice-identifier` and
 * `procedure-identifier` parameters); every converted notice carries them.
 */
const CONVERTER_PLACEHOLDERS = new Set([
  "f252f386-55ac-4fa8-9be4-9f950b9904c8",
  "aff2863e-b4cc-4e91-baba-b3b85f709117",
]);

const NOTICE_ROOTS = new Set(["ContractNotice", "ContractAwardNotice", "PriorInformationNotice"]);

const STAGE_OF_FAMILY: Readonly<Record<NoticeFamily, TenderStage>> = {
  planning: "planned",
  competition: "open",
  result: "awarded",
  other: "open",
};

const MAX = { title: 500, lotTitle: 500, description: 50_000, lotDescription: 20_000, lotId: 60, cpv: 200 };

/** Parses one eForms notice. Throws `CrawlError` (kind `parse`) when it cannot make a tender. */
export function parseEformsNotice(xml: string, options: ParseNoticeOptions): ParsedNotice {
  const context = options.sourceUrl ? { url: options.sourceUrl } : {};
  const source = typeof xml === "string" ? xml.replace(/^\uFEFF/, "") : "";
  if (source.trim() === "") {
    throw new CrawlError("parse", "not XML: the notice is empty", { ...context, missing: ["XML document"] });
  }
  if (!source.trimStart().startsWith("<")) {
    const looksJson = /^\s*[[{]/.test(source);
    throw new CrawlError(
      "parse",
      `not XML: the text does not start with '<'${looksJson ? " (it looks like JSON)" : ""}`,
      { ...context, missing: ["XML root element"] },
    );
  }
  const root = firstElement(parseXml(source));
  if (!root) {
    throw new CrawlError("parse", "not XML: no root element found", {
      ...context,
      missing: ["XML root element"],
    });
  }
  const rootName = localName(root);
  if (!NOTICE_ROOTS.has(rootName)) {
    throw new CrawlError(
      "parse",
      `not an eForms notice: the root element is <${root.name ?? "?"}>, expected ContractNotice, ContractAwardNotice or PriorInformationNotice`,
      { ...context, missing: ["eForms notice root element"] },
    );
  }
  return new NoticeReader(root, rootName, options).read();
}

/** One line for stderr. */
export function formatNoticeError(e: unknown): string {
  const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
  if (isCrawlError(e)) {
    const missing = e.context.missing?.length ? ` (missing: ${e.context.missing.join("; ")})` : "";
    const where = e.context.where ? ` at ${e.context.where}` : "";
    const url = e.context.url ? ` [${e.context.url}]` : "";
    return oneLine(`eForms ${e.kind} error: ${e.message}${missing}${where}${url}`);
  }
  if (e instanceof Error) return oneLine(`${e.name}: ${e.message}`);
  return oneLine(`error: ${String(e)}`);
}

interface Organisation {
  techId: string;
  name?: string;
  orgId?: string;
  country?: string;
  nuts?: string;
  website?: string;
}

interface LotDraft {
  lot: Lot;
  currencyHint?: string;
  turnover?: Turnover;
  /** The lot declared no title and took the procedure's. */
  untitled: boolean;
}

class NoticeReader {
  private readonly warnings: string[] = [];
  private readonly missing: string[] = [];
  private readonly ext: XmlNode[];
  private readonly language3: string | undefined;

  constructor(
    private readonly root: XmlNode,
    private readonly rootName: string,
    private readonly options: ParseNoticeOptions,
  ) {
    this.ext = extensions(root);
    this.language3 = text(child(root, "NoticeLanguageCode")).toUpperCase() || undefined;
  }

  read(): ParsedNotice {
    const root = this.root;
    const { noticeId, procedureId } = this.identifiers();

    const { family, subtype, noticeType, isChange } = this.family();
    const orgs = this.organisations();
    const procedure = child(root, "ProcurementProject");
    const procedureTitle = this.pick(children(procedure, "Name"));
    const procedureDescription = this.pick(children(procedure, "Description"));
    const buyerPart = this.buyer(orgs);

    const lotDrafts = this.lots(procedure, buyerPart?.country, noticeType, subtype);
    const title = procedureTitle ?? lotDrafts.find((d) => !d.untitled)?.lot.title;
    if (!title) this.missing.push("title (cac:ProcurementProject/cbc:Name)");

    if (this.missing.length > 0 || !buyerPart || !title || !procedureId || !noticeId) {
      const only = this.missing.length === 1 ? this.missing[0] : undefined;
      const message = only
        ? missingMessage(only)
        : `incomplete eForms notice: ${this.missing.map(missingMessage).join("; ")}`;
      throw new CrawlError("parse", message, { ...this.context(), missing: [...this.missing] });
    }

    for (const d of lotDrafts) if (d.untitled) d.lot.title = clip(title, MAX.lotTitle);
    const lots = lotDrafts.map((d) => d.lot);
    const winners = family === "result" ? this.winners(orgs, lots) : [];

    const buyer = buyerPart;
    const languageCode = languageToIso1(this.language3);
    if (!languageCode) {
      this.warn(
        this.language3
          ? `unknown notice language ${this.language3}: assumed from the buyer's country`
          : "no notice language (cbc:NoticeLanguageCode): assumed from the buyer's country",
      );
    }
    const language = languageCode ?? languageOfCountry(buyer.country);

    const stage = STAGE_OF_FAMILY[family];
    const kind: NoticeRef["kind"] = isChange ? "change" : family;
    const issueDate = dateOnly(text(child(root, "IssueDate")));
    const notice: NoticeRef = {
      id: clip(noticeId, 200),
      kind,
      ...(subtype || noticeType ? { type: clip(subtype ?? noticeType ?? "", 60) } : {}),
      ...(issueDate ? { publishedAt: issueDate } : {}),
      procedureId: clip(procedureId, 200),
    };
    if (!subtype) this.warn("no notice subtype (efac:NoticeSubType/cbc:SubTypeCode)");

    const reserved = this.tenderReservation(lots);
    const procedureNuts = this.firstNuts(procedure);
    const placeNuts = lots.find((l) => l.nuts)?.nuts ?? procedureNuts ?? buyer.nuts;
    const estimatedValue = this.tenderValue(procedure, lots);
    const deadline = earliest(lots.map((l) => l.deadline));
    const requirements = this.requirements(lotDrafts, estimatedValue, buyer.country);
    const smeValues = lots.map((l) => l.smeSuitable).filter((v): v is boolean => v !== undefined);
    // BT-726 is a lot field; some PINs state it on the procedure only.
    const procedureSme = indicator(text(child(procedure, "SMESuitableIndicator")));
    const smeSuitable = smeValues.includes(true)
      ? true
      : (procedureSme ?? (smeValues.length > 0 ? false : undefined));
    const awardedTo = uniqueWinners(winners);
    const expected = dateOnly(text(child(root, "PlannedDate")));
    const contractPeriod = this.contractPeriod(procedure);

    let sourceUrl = this.options.sourceUrl;
    if (sourceUrl !== undefined && !isHttpUrl(sourceUrl)) {
      this.warn(`sourceUrl ${sourceUrl} is not an http(s) URL and was left out`);
      sourceUrl = undefined;
    }

    const candidate = {
      id: `eforms:${tenderIdPart(procedureId)}`,
      stage,
      title: clip(title, MAX.title),
      description: clip(procedureDescription ?? lots[0]?.description ?? "", MAX.description),
      language,
      buyer: { id: buyer.id, name: buyer.name, country: buyer.country },
      reserved,
      ...(placeNuts ? { place: { nuts: placeNuts } } : {}),
      lots,
      cpv: uniqueCodes(lots.flatMap((l) => l.cpv)),
      ...(estimatedValue ? { estimatedValue } : {}),
      ...(expected ? { expectedPublication: { date: expected, precision: "day" as const } } : {}),
      ...(deadline ? { deadline } : {}),
      ...(contractPeriod ? { contractPeriod } : {}),
      requirements,
      ...(smeSuitable !== undefined ? { smeSuitable } : {}),
      ...(awardedTo.length > 0 ? { awardedTo } : {}),
      ...(sourceUrl ? { sourceUrl } : {}),
      notice,
      firstSeen: this.options.now,
      lastChanged: this.options.now,
    };
    const parsed = Tender.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "tender"}: ${i.message}`);
      throw new CrawlError("parse", `the notice does not make a valid tender: ${issues.join("; ")}`, {
        ...this.context(),
        missing: issues,
      });
    }
    const buyerParsed = BuyerSchema.safeParse(buyer.record);
    if (!buyerParsed.success) {
      const issues = buyerParsed.error.issues.map((i) => `buyer.${i.path.join(".")}: ${i.message}`);
      throw new CrawlError("parse", `the notice does not make a valid buyer: ${issues.join("; ")}`, {
        ...this.context(),
        missing: issues,
      });
    }
    return { tender: parsed.data, buyer: buyerParsed.data, notice, winners, warnings: this.warnings };
  }

  private context(): { url?: string } {
    return this.options.sourceUrl ? { url: this.options.sourceUrl } : {};
  }

  private warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  private pick(nodes: XmlNode[]): string | undefined {
    return pickLanguage(nodes, this.language3);
  }

  // ---- identifiers ---------------------------------------------------------------------------

  /**
   * The notice id (BT-701, with its version BT-757) and the procedure id (BT-04, else the
   * notice id). Notices made by OP's TED-XML converter (and a few SDK examples) carry fixed
   * placeholder values for both; those fall back to the OJ S publication number (OPP-010), so
   * that each converted notice stays its own tender instead of all merging into one.
   */
  private identifiers(): { noticeId?: string; procedureId?: string } {
    const root = this.root;
    let noticeId = text(child(root, "ID"));
    let folderId = text(child(root, "ContractFolderID"));
    const version = text(child(root, "VersionID"));
    const publication = this.ext
      .map((e) => text(first(e, "Publication", "NoticePublicationID")))
      .find(Boolean);
    const fromPublication = publication ? `ojs-${publication}` : undefined;
    const placeholder = CONVERTER_PLACEHOLDERS.has(noticeId) || CONVERTER_PLACEHOLDERS.has(folderId);
    if (placeholder && fromPublication) {
      if (CONVERTER_PLACEHOLDERS.has(noticeId)) noticeId = "";
      if (CONVERTER_PLACEHOLDERS.has(folderId)) folderId = "";
      this.warn(
        `placeholder notice/procedure identifier (fixed value of OP's TED-XML converter): the OJ S publication number ${publication} is used`,
      );
    } else if (placeholder) {
      this.warn(
        "placeholder notice/procedure identifier (fixed value of OP's TED-XML converter) and no OJ S publication number to replace it",
      );
    }
    const notice = noticeId ? (version ? `${noticeId}-${version}` : noticeId) : fromPublication;
    if (!notice) this.missing.push("notice identifier (cbc:ID)");
    const procedure = folderId || noticeId || fromPublication;
    if (!procedure) this.missing.push("procedure identifier (cbc:ContractFolderID)");
    else if (!folderId && !(placeholder && fromPublication)) {
      this.warn("no procedure identifier (cbc:ContractFolderID): the notice id is used");
    }
    return { ...(notice ? { noticeId: notice } : {}), ...(procedure ? { procedureId: procedure } : {}) };
  }

  // ---- notice family -------------------------------------------------------------------------

  private family(): { family: NoticeFamily; subtype?: string; noticeType?: string; isChange: boolean } {
    const subtype = text(first(this.ext[0], "NoticeSubType", "SubTypeCode")) || undefined;
    const typeNode = child(this.root, "NoticeTypeCode");
    const noticeType = text(typeNode) || undefined;
    const isChange = this.ext.some((e) => child(e, "Changes") !== undefined);
    let family = familyOfSubtype(subtype);
    if (!family && subtype) this.warn(`unknown notice subtype ${subtype}`);
    family ??= familyOfNoticeType(noticeType);
    if (!family) {
      const listName = attr(typeNode, "listName");
      family =
        listName === "planning" || listName === "competition" || listName === "result"
          ? listName
          : familyOfRoot(this.rootName);
    }
    return {
      family,
      ...(subtype ? { subtype } : {}),
      ...(noticeType ? { noticeType } : {}),
      isChange,
    };
  }

  // ---- organisations and buyer ---------------------------------------------------------------

  private organisations(): Map<string, Organisation> {
    const map = new Map<string, Organisation>();
    for (const e of this.ext) {
      for (const org of all(e, "Organizations", "Organization")) {
        const company = child(org, "Company");
        const techId = text(first(company, "PartyIdentification", "ID"));
        if (!techId || map.has(techId)) continue;
        const address = child(company, "PostalAddress");
        const countryCode = text(first(address, "Country", "IdentificationCode"));
        const nuts = validNuts(text(child(address, "CountrySubentityCode")));
        const country = countryToIso2(countryCode) ?? countryOfNuts(nuts);
        if (countryCode && !countryToIso2(countryCode)) this.warn(`unknown country code ${countryCode}`);
        const name = this.pick(all(company, "PartyName", "Name"));
        const orgId = text(first(company, "PartyLegalEntity", "CompanyID"));
        const website = text(child(company, "WebsiteURI"));
        map.set(techId, {
          techId,
          ...(name ? { name } : {}),
          ...(orgId ? { orgId } : {}),
          ...(country ? { country } : {}),
          ...(nuts ? { nuts } : {}),
          ...(website ? { website } : {}),
        });
      }
    }
    return map;
  }

  private buyer(
    orgs: Map<string, Organisation>,
  ): { id: string; name: string; country: string; nuts?: string; record: Buyer } | undefined {
    const parties = children(this.root, "ContractingParty");
    let chosen: { org: Organisation; party: XmlNode } | undefined;
    for (const party of parties) {
      const ref = text(first(party, "Party", "PartyIdentification", "ID"));
      const org = ref ? orgs.get(ref) : undefined;
      if (org) {
        chosen = { org, party };
        break;
      }
    }
    if (!chosen) {
      this.missing.push(
        parties.length === 0
          ? "buyer (cac:ContractingParty)"
          : "buyer organisation (the cac:ContractingParty reference has no efac:Organization)",
      );
      return undefined;
    }
    const { org, party } = chosen;
    if (parties.length > 1) this.warn(`${parties.length} buyers: the first one (${org.techId}) is used`);
    if (!org.name) {
      this.missing.push(`buyer name (efac:Company/cac:PartyName of ${org.techId})`);
      return undefined;
    }
    if (!org.country) {
      this.missing.push(`buyer country (cac:PostalAddress/cac:Country of ${org.techId})`);
      return undefined;
    }
    const legalTypeNode = all(party, "ContractingPartyType", "PartyTypeCode").find(
      (n) => (attr(n, "listName") ?? "buyer-legal-type") === "buyer-legal-type",
    );
    const legalType = text(legalTypeNode) || undefined;
    if (legalType && !isKnownBuyerLegalType(legalType)) this.warn(`unknown buyer legal type ${legalType}`);
    const name = clip(org.name, 300);
    const cc = org.country.toLowerCase();
    const id = buyerId(cc, org.orgId, name);
    const website = org.website ? websiteUrl(org.website) : undefined;
    const orgId = org.orgId && org.orgId.length <= 40 ? org.orgId : undefined;
    if (org.orgId && !orgId) this.warn("buyer organisation identifier longer than 40 characters left out");
    const record: Buyer = {
      id,
      name,
      kind: buyerKindOf(legalType, name),
      country: org.country,
      ...(orgId ? { orgId } : {}),
      ...(org.nuts && org.nuts.length === 5 ? { nuts3: org.nuts } : {}),
      ...(website ? { website } : {}),
    };
    return { id, name, country: org.country, ...(org.nuts ? { nuts: org.nuts } : {}), record };
  }

  // ---- lots ----------------------------------------------------------------------------------

  private lots(
    procedure: XmlNode | undefined,
    country: string | undefined,
    noticeType: string | undefined,
    subtype: string | undefined,
  ): LotDraft[] {
    const localCurrency = country ? currencyOfCountry(country) : undefined;
    const nodes = children(this.root, "ProcurementProjectLot").filter((n) => {
      const scheme = attr(child(n, "ID"), "schemeName");
      if (scheme === undefined) return !/^GLO-/i.test(text(child(n, "ID")));
      return scheme === "Lot" || scheme === "Part";
    });
    const drafts: LotDraft[] = [];
    const seen = new Set<string>();
    for (const node of nodes) {
      const id = clip(text(child(node, "ID")), MAX.lotId);
      if (!id) {
        this.warn("a lot without an identifier (cbc:ID) was left out");
        continue;
      }
      if (seen.has(id)) {
        this.warn(`lot ${id} appears twice: the second one was left out`);
        continue;
      }
      seen.add(id);
      drafts.push(this.lot(node, id, procedure, localCurrency));
    }
    if (drafts.length === 0) {
      const isBuyerProfilePin =
        noticeType === "pin-buyer" || (subtype !== undefined && /^[123]$/.test(subtype.trim()));
      if (isBuyerProfilePin && procedure) {
        // PIN on a buyer profile (subtypes 1–3) has no lots by design: the procedure is the lot.
        this.warn("no lots (PIN on a buyer profile): the procedure is read as one lot LOT-0001");
        drafts.push(this.lotFromProject("LOT-0001", procedure, undefined));
      } else {
        this.missing.push("lot or part (cac:ProcurementProjectLot)");
      }
    }
    if (drafts.length > 500) {
      this.warn(`${drafts.length} lots: only the first 500 are kept`);
      drafts.length = 500;
    }
    return drafts;
  }

  private lot(node: XmlNode, id: string, procedure: XmlNode | undefined, localCurrency?: string): LotDraft {
    const project = child(node, "ProcurementProject");
    const draft = this.lotFromProject(id, project, procedure);
    const lot = draft.lot;
    const terms = child(node, "TenderingTerms");

    // BT-71 reserved participation
    const reservedCodes = all(
      terms,
      "TendererQualificationRequest",
      "SpecificTendererRequirement",
      "TendererRequirementTypeCode",
    )
      .filter((n) => attr(n, "listName") === "reserved-procurement")
      .map((n) => text(n))
      .filter((c) => c !== "");
    if (reservedCodes.length > 0) {
      const mapped = reservedCodes.map((c) => ({ code: c, value: reservationOfCode(c) }));
      for (const m of mapped)
        if (!m.value) this.warn(`lot ${id}: unknown reserved-procurement code ${m.code}`);
      const strongest =
        mapped.find((m) => m.value === "res-ws" || m.value === "res-pub-ser")?.value ??
        (mapped.some((m) => m.value === undefined) ? "unknown" : "none");
      lot.reserved = strongest;
    }

    // BT-736 reserved execution
    const execution = all(terms, "ContractExecutionRequirement", "ExecutionRequirementCode").find(
      (n) => attr(n, "listName") === "reserved-execution",
    );
    if (execution) {
      const code = text(execution);
      const mapped = reservedExecutionOfCode(code);
      if (!mapped.known) this.warn(`lot ${id}: unknown reserved-execution code ${code}`);
      if (mapped.value !== undefined) lot.reservedExecution = mapped.value;
    }

    const subcontracting = this.subcontracting(id, terms);
    if (subcontracting) lot.subcontracting = subcontracting;

    // Selection criteria that state a minimum turnover
    let turnover: Turnover | undefined;
    for (const e of extensions(terms)) {
      for (const criterion of children(e, "SelectionCriteria")) {
        const typeNode =
          child(criterion, "TendererRequirementTypeCode") ?? child(criterion, "CriterionTypeCode");
        const descriptions = children(criterion, "Description").map((d) => text(d));
        const found = turnoverFromCriterion(text(typeNode) || undefined, descriptions, localCurrency);
        if (found && (!turnover || found.amount > turnover.amount)) turnover = found;
      }
    }
    if (turnover) {
      lot.minTurnover = turnover.amount;
      draft.turnover = turnover;
    }

    const deadline = this.deadline(id, child(node, "TenderingProcess"));
    if (deadline) lot.deadline = deadline;
    return draft;
  }

  /** Title, description, CPV, place, value and SME flag of a lot's (or the procedure's) project. */
  private lotFromProject(id: string, project: XmlNode | undefined, procedure: XmlNode | undefined): LotDraft {
    const title = this.pick(children(project, "Name"));
    const description = this.pick(children(project, "Description"));
    let cpv = this.cpvCodes(project, id);
    if (cpv.length === 0 && procedure) {
      cpv = this.cpvCodes(procedure, id);
      if (cpv.length > 0) this.warn(`lot ${id} has no CPV code: the procedure's codes are used`);
    }
    if (cpv.length === 0) this.warn(`lot ${id} has no CPV code`);
    if (cpv.length > MAX.cpv) cpv = cpv.slice(0, MAX.cpv);
    const nuts = this.firstNuts(project) ?? (procedure ? this.firstNuts(procedure) : undefined);
    const value = this.money(
      first(project, "RequestedTenderTotal", "EstimatedOverallContractAmount"),
      `lot ${id}`,
    );
    const sme = indicator(text(child(project, "SMESuitableIndicator")));

    const lot: Lot = {
      id,
      title: clip(title ?? id, MAX.lotTitle),
      ...(description ? { description: clip(description, MAX.lotDescription) } : {}),
      cpv,
      ...(value ? { estimatedValue: value } : {}),
      ...(nuts ? { nuts } : {}),
      ...(sme !== undefined ? { smeSuitable: sme } : {}),
    };
    return { lot, untitled: !title, ...(value ? { currencyHint: value.currency } : {}) };
  }

  private cpvCodes(project: XmlNode | undefined, where: string): string[] {
    const codes: string[] = [];
    const nodes = [
      ...all(project, "MainCommodityClassification", "ItemClassificationCode"),
      ...all(project, "AdditionalCommodityClassification", "ItemClassificationCode"),
    ];
    for (const n of nodes) {
      const listName = attr(n, "listName");
      if (listName !== undefined && listName.toLowerCase() !== "cpv") continue;
      const raw = text(n);
      if (!raw) continue;
      const code = parseCpv(raw);
      if (code) codes.push(code);
      else this.warn(`${where}: CPV code ${raw} is not 8 digits and was left out`);
    }
    return uniqueCodes(codes);
  }

  private firstNuts(project: XmlNode | undefined): string | undefined {
    for (const n of all(project, "RealizedLocation", "Address", "CountrySubentityCode")) {
      const nuts = validNuts(text(n));
      if (nuts) return nuts;
    }
    return undefined;
  }

  private money(node: XmlNode | undefined, where: string): Money | undefined {
    if (!node) return undefined;
    const raw = text(node);
    const currency = attr(node, "currencyID")?.trim().toUpperCase();
    if (!raw) return undefined;
    const amount = /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(amount) || amount < 0) {
      this.warn(`${where}: amount ${raw} is not a number and was left out`);
      return undefined;
    }
    if (!currency || !/^[A-Z]{3}$/.test(currency)) {
      this.warn(`${where}: amount ${raw} has no currency and was left out`);
      return undefined;
    }
    return { amount, currency };
  }

  private subcontracting(lotId: string, terms: XmlNode | undefined): Subcontracting | undefined {
    const out: Subcontracting = {};
    const raw: string[] = [];
    for (const allowed of children(terms, "AllowedSubcontractTerms")) {
      const codeNode = child(allowed, "SubcontractingConditionsCode");
      const code = text(codeNode);
      if (
        code &&
        (attr(codeNode, "listName") ?? "subcontracting-obligation") === "subcontracting-obligation"
      ) {
        raw.push(`BT-65 ${code}`);
        const mapped = subcontractingOfObligation(code);
        if (!mapped) this.warn(`lot ${lotId}: unknown subcontracting-obligation code ${code}`);
        if (mapped?.obligation) out.obligation = mapped.obligation;
        if (mapped?.allowed !== undefined) out.allowed = mapped.allowed;
      }
      const min = percent(text(child(allowed, "MinimumPercent")));
      const max = percent(text(child(allowed, "MaximumPercent")));
      if (min !== undefined) out.minPercent = min;
      if (max !== undefined) out.maxPercent = max;
    }
    for (const e of extensions(terms)) {
      for (const n of all(e, "TenderSubcontractingRequirements", "TenderSubcontractingRequirementsCode")) {
        const code = text(n);
        if (!code) continue;
        raw.push(`BT-651 ${code}`);
        // Asking tenderers to indicate their subcontracting means subcontracting is allowed.
        if (code !== "none") out.allowed = true;
      }
    }
    if (out.minPercent !== undefined && out.maxPercent !== undefined && out.minPercent > out.maxPercent) {
      this.warn(`lot ${lotId}: subcontracting minimum ${out.minPercent}% above maximum ${out.maxPercent}%`);
    }
    if (raw.length === 0 && out.minPercent === undefined && out.maxPercent === undefined) return undefined;
    if (raw.length > 0) out.raw = raw.join("; ");
    return out;
  }

  private deadline(lotId: string, process: XmlNode | undefined): string | undefined {
    const periods = [
      child(process, "TenderSubmissionDeadlinePeriod"),
      child(process, "ParticipationRequestReceptionPeriod"),
      ...extensions(process).map((e) => child(e, "InterestExpressionReceptionPeriod")),
    ];
    for (const period of periods) {
      if (!period) continue;
      const date = text(child(period, "EndDate"));
      if (!date) continue;
      const time = text(child(period, "EndTime"));
      const iso = dateTime(date, time);
      if (iso) return iso;
      this.warn(`lot ${lotId}: deadline ${date} ${time} is not a date and was left out`);
    }
    return undefined;
  }

  // ---- tender-level aggregates ---------------------------------------------------------------

  private tenderReservation(lots: Lot[]): Reservation {
    const reserved = lots.filter((l) => l.reserved === "res-ws" || l.reserved === "res-pub-ser");
    const firstReserved = reserved[0];
    if (firstReserved?.reserved) {
      const kinds = new Set(reserved.map((l) => l.reserved));
      if (kinds.size > 1) {
        this.warn(
          `lots disagree on the reservation (${[...kinds].join(", ")}): ${firstReserved.reserved} of lot ${firstReserved.id} is used`,
        );
      }
      return firstReserved.reserved;
    }
    if (lots.some((l) => l.reserved === "unknown")) return "unknown";
    return "none";
  }

  private tenderValue(procedure: XmlNode | undefined, lots: Lot[]): Money | undefined {
    const own = this.money(
      first(procedure, "RequestedTenderTotal", "EstimatedOverallContractAmount"),
      "procedure",
    );
    if (own) return own;
    const values = lots.map((l) => l.estimatedValue);
    const firstValue = values[0];
    if (!firstValue || values.some((v) => !v || v.currency !== firstValue.currency)) return undefined;
    const total = values.reduce((sum, v) => sum + (v?.amount ?? 0), 0);
    return { amount: Math.round(total * 100) / 100, currency: firstValue.currency };
  }

  private requirements(drafts: LotDraft[], value: Money | undefined, country: string): Requirements {
    const out: Requirements = {};
    const maxLotsNode = first(this.root, "TenderingTerms", "LotDistribution", "MaximumLotsSubmittedNumeric");
    const maxLotsRaw = text(maxLotsNode);
    if (maxLotsRaw) {
      const n = Number(maxLotsRaw);
      if (Number.isInteger(n) && n > 0) out.maxLotsPerBidder = n;
      else this.warn(`lots max allowed (BT-31) ${maxLotsRaw} is not a positive whole number`);
    }
    const turnovers = drafts.flatMap((d) => (d.turnover ? [d.turnover] : []));
    const currency =
      turnovers.find((t) => t.currency)?.currency ??
      value?.currency ??
      drafts.find((d) => d.currencyHint)?.currencyHint;
    if (turnovers.length > 0) {
      const sameCurrency = turnovers.filter((t) => !t.currency || !currency || t.currency === currency);
      if (sameCurrency.length < turnovers.length)
        this.warn("minimum turnovers in several currencies: only one is kept");
      out.minTurnover = Math.max(...sameCurrency.map((t) => t.amount));
    }
    const resolved = currency ?? (turnovers.length > 0 ? currencyOfCountry(country) : undefined);
    if (resolved) out.currency = resolved;
    const subs = drafts.map((d) => d.lot.subcontracting);
    const firstSub = subs[0];
    if (firstSub && subs.every((s) => s !== undefined && JSON.stringify(s) === JSON.stringify(firstSub))) {
      out.subcontracting = firstSub;
    }
    return out;
  }

  private contractPeriod(procedure: XmlNode | undefined): Tender["contractPeriod"] {
    const lotProject = first(children(this.root, "ProcurementProjectLot")[0], "ProcurementProject");
    const period = child(procedure, "PlannedPeriod") ?? child(lotProject, "PlannedPeriod");
    if (!period) return undefined;
    const durationNode = child(period, "DurationMeasure");
    const amount = Number(text(durationNode));
    const unit = attr(durationNode, "unitCode")?.toUpperCase();
    const months =
      Number.isFinite(amount) && amount > 0
        ? unit === "MONTH"
          ? amount
          : unit === "YEAR"
            ? amount * 12
            : undefined
        : undefined;
    const start = dateOnly(text(child(period, "StartDate")));
    const end = dateOnly(text(child(period, "EndDate")));
    const raw = durationNode && text(durationNode) ? `${text(durationNode)} ${unit ?? ""}`.trim() : undefined;
    if (months === undefined && !start && !end && !raw) return undefined;
    return {
      ...(months !== undefined && Number.isInteger(months) ? { months } : {}),
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
      ...(raw ? { raw } : {}),
    };
  }

  // ---- results -------------------------------------------------------------------------------

  private winners(orgs: Map<string, Organisation>, lots: Lot[]): Winner[] {
    const winners: Winner[] = [];
    const lotIds = new Set(lots.map((l) => l.id));
    for (const e of this.ext) {
      for (const result of children(e, "NoticeResult")) {
        const tenders = new Map<string, XmlNode>();
        for (const t of children(result, "LotTender")) {
          const id = text(child(t, "ID"));
          if (id && !tenders.has(id)) tenders.set(id, t);
        }
        const parties = new Map<string, XmlNode>();
        for (const p of children(result, "TenderingParty")) {
          const id = text(child(p, "ID"));
          if (id && !parties.has(id)) parties.set(id, p);
        }
        let anyWinner = false;
        for (const lotResult of children(result, "LotResult")) {
          const status = text(child(lotResult, "TenderResultCode"));
          // selec-w: a winner was chosen; clos-nw / open-nw: no winner (yet).
          if (status && status !== "selec-w") continue;
          const lotId = text(first(lotResult, "TenderLot", "ID"));
          if (!lotId) {
            this.warn("a lot result without a lot (efac:TenderLot) was left out");
            continue;
          }
          if (!lotIds.has(lotId)) this.warn(`result for lot ${lotId}, which the notice does not describe`);
          for (const ref of children(lotResult, "LotTender")) {
            const tenderId = text(child(ref, "ID"));
            const tender = tenders.get(tenderId);
            if (!tender) {
              this.warn(`lot ${lotId}: tender ${tenderId || "(no id)"} is not described (efac:LotTender)`);
              continue;
            }
            const value = this.money(
              first(tender, "LegalMonetaryTotal", "PayableAmount"),
              `tender ${tenderId}`,
            );
            const partyId = text(first(tender, "TenderingParty", "ID"));
            const party = parties.get(partyId);
            if (!party) {
              this.warn(`tender ${tenderId}: tendering party ${partyId || "(no id)"} is not described`);
              continue;
            }
            for (const tenderer of children(party, "Tenderer")) {
              const orgRef = text(child(tenderer, "ID"));
              const org = orgs.get(orgRef);
              if (!org?.name) {
                this.warn(`tenderer ${orgRef || "(no id)"} has no organisation with a name`);
                continue;
              }
              anyWinner = true;
              winners.push({
                lotId,
                name: org.name,
                ...(org.orgId ? { orgId: org.orgId } : {}),
                ...(org.country ? { country: org.country } : {}),
                ...(value ? { value } : {}),
              });
            }
          }
        }
        if (!anyWinner) this.warn("result notice without a winner (no lot result with selec-w)");
      }
    }
    return winners;
  }
}

// ---- small pure helpers ----------------------------------------------------------------------

/** The sentence for one missing part ("no buyer organisation (…)"). */
function missingMessage(what: string): string {
  return what.startsWith("lot or part")
    ? "the notice has no lot or part (cac:ProcurementProjectLot)"
    : `no ${what}`;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

function validNuts(code: string): string | undefined {
  if (!code) return undefined;
  const parsed = NutsCode.safeParse(code);
  return parsed.success ? parsed.data : undefined;
}

function indicator(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  return v === "true" ? true : v === "false" ? false : undefined;
}

function percent(raw: string): number | undefined {
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
}

/** "2021-07-08+01:00" → "2021-07-08"; undefined when not a date. */
export function dateOnly(raw: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return undefined;
  return `${y}-${mo}-${d}`;
}

const OFFSET = /(Z|[+-](?:0\d|1[0-4]):[0-5]\d)$/;

/**
 * eForms date + time → ISO date-time with offset. "2021-08-18+01:00" + "23:59:00+01:00" →
 * "2021-08-18T23:59:00+01:00"; without a time the day ends at 23:59:59 in the date's offset.
 */
export function dateTime(dateRaw: string, timeRaw: string): string | undefined {
  const date = dateOnly(dateRaw);
  if (!date) return undefined;
  const dateOffset = OFFSET.exec(dateRaw.trim().slice(10))?.[1];
  const t = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?/.exec(timeRaw.trim());
  if (t) {
    const [, hh, mm, ss, frac] = t;
    if (Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? "0") > 59) return undefined;
    const timeOffset = OFFSET.exec(timeRaw.trim())?.[1];
    return `${date}T${hh}:${mm}:${ss ?? "00"}${frac ?? ""}${timeOffset ?? dateOffset ?? "Z"}`;
  }
  return `${date}T23:59:59${dateOffset ?? "Z"}`;
}

function earliest(values: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  let bestTime = Infinity;
  for (const v of values) {
    if (!v) continue;
    const time = Date.parse(v);
    if (Number.isFinite(time) && time < bestTime) {
      best = v;
      bestTime = time;
    }
  }
  return best;
}

/** The external id part of the tender id: no whitespace, '/', '?' or '#'. */
function tenderIdPart(procedureId: string): string {
  return procedureId.replace(/[\s/?#]+/g, "-");
}

/** "<cc>-org-<slug>", lower case, from the organisation number or else the name. */
function buyerId(cc: string, orgId: string | undefined, name: string): string {
  const prefix = `${cc}-org-`;
  const fromOrg = orgId ? slugify(orgId) : "";
  const slug = fromOrg || slugify(name) || `h${fnv1a(name)}`;
  return `${prefix}${slug}`.slice(0, 120).replace(/-+$/, "");
}

function slugify(s: string): string {
  return fold(s)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/** "www.uu.se" → "https://www.uu.se"; undefined when it is not a usable URL. */
function websiteUrl(raw: string): string | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`;
  return isHttpUrl(candidate) && !/\s/.test(candidate) ? candidate : undefined;
}

function uniqueWinners(winners: Winner[]): { name: string; orgId?: string }[] {
  const seen = new Set<string>();
  const out: { name: string; orgId?: string }[] = [];
  for (const w of winners) {
    const key = w.orgId ? `id:${w.orgId}` : `name:${w.name.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(w.orgId ? { name: w.name, orgId: w.orgId } : { name: w.name });
  }
  return out;
}
