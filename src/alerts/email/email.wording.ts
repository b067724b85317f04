import type { AlertEvent, AlertLanguage } from "../../domain/subscription.js";
import type { Reservation, TenderStage } from "../../domain/tender.js";

/**
 * The words of alerts in each subscriber language (e-mails, and the Atom and iCal feeds, which
 * reuse them). Pure tables and small functions; formatting of dates, money and periods lives in
 * alert-format.ts.
 */
export interface Wording {
  /** Month names as written inside a date ("maj", "May"). */
  months: readonly string[];
  seasons: { spring: string; summer: string; autumn: string; winter: string };
  quarter(q: number, year: number): string;
  half(h: 1 | 2, year: number): string;
  /** A day: "12. maj 2027", "12 May 2027". */
  day(day: number, month: string, year: number): string;
  /** A date with a time of day: "12. maj 2027 kl. 12.00". */
  dateTime(date: string, hour: string, minute: string): string;
  /** Money: digits already grouped. */
  money(amount: string, currency: string): string;
  thousands: string;
  decimal: string;
  /** Quotes around a name: »…« (da), ”…” (sv), «…» (nb), “…” (en). */
  quote(text: string): string;
  /** "A, B and C". */
  and: string;
  numberWords: readonly string[];
  labels: {
    buyer: string;
    stage: string;
    expectedPublication: string;
    deadline: string;
    value: string;
    reservation: string;
    category: string;
    lots: string;
    changes: string;
    publishedAs: string;
    notice: string;
    coveredLots: string;
    notStated: string;
    viewTender: string;
    viewNotice: string;
    more(n: number): string;
  };
  stages: Readonly<Record<TenderStage, string>>;
  /** Reservation in plain words, for the tender's facts. */
  reservations: Readonly<Record<Reservation, string>>;
  /** Reservation in a few words, for "from → to" in a change. */
  reservationsShort: Readonly<Record<Reservation, string>>;
  /** The plan text mentions a reservation that the tender does not state. */
  reservedHint: string;
  /** The subject (and feed title) of one item. */
  subject(event: AlertEvent, title: string, stage: TenderStage): string;
  /** Section heading of a digest group. */
  groupHeading: Readonly<Record<AlertEvent, string>>;
  withdrawnNote: string;
  digestSubject(count: number, name: string): string;
  digestTitle: string;
  lotCount(n: number): string;
  consortium: {
    you: string;
    /** "You, A and B together cover all three lots." */
    sentence(members: string, cover: string): string;
    whole: string;
    both: string;
    all(count: string): string;
    some(k: number, n: number): string;
    /** Why the group is new: another enterprise registered (`registered`) or updated its profile. */
    joined(name: string, reason: "registered" | "updated"): string;
    /** Why the group is new: the subscriber's own enterprise registered or updated its profile. */
    yours(reason: "registered" | "updated"): string;
  };
  footer(name: string): string;
  unsubscribe: string;
  /** iCal event summaries. */
  calendar: {
    deadline(title: string): string;
    expected(period: string, title: string): string;
    name(subscription: string): string;
  };
  feedTitle(subscription: string): string;
}

const da: Wording = {
  months: [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
  ],
  seasons: { spring: "forår", summer: "sommer", autumn: "efterår", winter: "vinter" },
  quarter: (q, year) => `${q}. kvartal ${year}`,
  half: (h, year) => `${h === 1 ? "første" : "andet"} halvår ${year}`,
  day: (d, m, y) => `${d}. ${m} ${y}`,
  dateTime: (date, h, m) => `${date} kl. ${h}.${m}`,
  money: (amount, currency) => `${amount} ${currency}`,
  thousands: ".",
  decimal: ",",
  quote: (t) => `»${t}«`,
  and: "og",
  numberWords: ["nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"],
  labels: {
    buyer: "Ordregiver",
    stage: "Status",
    expectedPublication: "Forventet offentliggørelse",
    deadline: "Tilbudsfrist",
    value: "Anslået værdi",
    reservation: "Reserveret kontrakt",
    category: "Kategori",
    lots: "Delkontrakter",
    changes: "Hvad er ændret",
    publishedAs: "Offentliggjort som",
    notice: "Bekendtgørelse",
    coveredLots: "Delkontrakter, I dækker",
    notStated: "ikke oplyst",
    viewTender: "Se udbuddet",
    viewNotice: "Se bekendtgørelsen",
    more: (n) => `og ${n} mere`,
  },
  stages: {
    planned: "Planlagt indkøb",
    open: "Åben for tilbud",
    awarded: "Tildelt",
    cancelled: "Aflyst",
    withdrawn: "Trukket tilbage",
  },
  reservations: {
    none: "Ikke forbeholdt: alle leverandører kan byde",
    "res-ws":
      "Forbeholdt beskyttede værksteder og virksomheder, hvis hovedformål er at integrere personer med handicap eller dårligt stillede personer (art. 20)",
    "res-pub-ser": "Forbeholdt organisationer, der har en mission inden for offentlige tjenester (art. 77)",
    unknown: "Ikke oplyst",
  },
  reservationsShort: {
    none: "ikke forbeholdt",
    "res-ws": "forbeholdt (art. 20)",
    "res-pub-ser": "forbeholdt (art. 77)",
    unknown: "ikke oplyst",
  },
  reservedHint: "Indkøbsplanen nævner en reserveret kontrakt",
  subject: (event, title, stage) => {
    switch (event) {
      case "tender.new":
        return stage === "planned" ? `Nyt planlagt indkøb: ${title}` : `Nyt udbud: ${title}`;
      case "tender.changed":
        return `Ændret: ${title}`;
      case "tender.published":
        return `Nu i udbud: ${title}`;
      case "tender.withdrawn":
        return `Trukket tilbage: ${title}`;
      case "consortium.opportunity":
        return `Mulighed for fælles bud: ${title}`;
    }
  },
  groupHeading: {
    "tender.new": "Nye udbud og planlagte indkøb",
    "tender.changed": "Ændrede udbud",
    "tender.published": "Planlagte indkøb, der nu er i udbud",
    "tender.withdrawn": "Tilbagetrukne udbud",
    "consortium.opportunity": "Muligheder for fælles bud",
  },
  withdrawnNote: "Ordregiveren har trukket udbuddet tilbage, eller det er fjernet fra indkøbsplanen.",
  digestSubject: (n, name) => `${n} ${n === 1 ? "opdatering" : "opdateringer"} for ${da.quote(name)}`,
  digestTitle: "Dit daglige udbudsoverblik",
  lotCount: (n) => `${n} ${n === 1 ? "delkontrakt" : "delkontrakter"}`,
  consortium: {
    you: "du",
    sentence: (members, cover) => `${members} dækker tilsammen ${cover}.`,
    whole: "hele kontrakten",
    both: "begge delkontrakter",
    all: (count) => `alle ${count} delkontrakter`,
    some: (k, n) => `${k} af de ${n} delkontrakter`,
    joined: (name, reason) =>
      reason === "registered"
        ? `${name} er netop blevet registreret på jointbid.`
        : `${name} har opdateret sin profil på jointbid.`,
    yours: (reason) =>
      reason === "registered"
        ? "Din nye profil gør denne gruppe mulig."
        : "Din opdaterede profil gør denne gruppe mulig.",
  },
  footer: (name) => `Du modtager denne e-mail, fordi du abonnerer på ${da.quote(name)} hos jointbid.`,
  unsubscribe: "Afmeld",
  calendar: {
    deadline: (title) => `Tilbudsfrist: ${title}`,
    expected: (period, title) => `Forventet offentliggørelse (${period}): ${title}`,
    name: (s) => `jointbid: ${s}`,
  },
  feedTitle: (s) => `jointbid: ${s}`,
};

const sv: Wording = {
  months: [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
  ],
  seasons: { spring: "våren", summer: "sommaren", autumn: "hösten", winter: "vintern" },
  quarter: (q, year) => `${["första", "andra", "tredje", "fjärde"][q - 1] ?? q} kvartalet ${year}`,
  half: (h, year) => `${h === 1 ? "första" : "andra"} halvåret ${year}`,
  day: (d, m, y) => `${d} ${m} ${y}`,
  dateTime: (date, h, m) => `${date} kl. ${h}.${m}`,
  money: (amount, currency) => `${amount} ${currency}`,
  thousands: "\u00a0",
  decimal: ",",
  quote: (t) => `”${t}”`,
  and: "och",
  numberWords: [
    "noll",
    "ett",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
  ],
  labels: {
    buyer: "Upphandlande organisation",
    stage: "Status",
    expectedPublication: "Beräknad annonsering",
    deadline: "Sista anbudsdag",
    value: "Uppskattat värde",
    reservation: "Reserverat kontrakt",
    category: "Kategori",
    lots: "Delområden",
    changes: "Vad har ändrats",
    publishedAs: "Annonserad som",
    notice: "Annons",
    coveredLots: "Delområden ni täcker",
    notStated: "inte angivet",
    viewTender: "Visa upphandlingen",
    viewNotice: "Visa annonsen",
    more: (n) => `och ${n} till`,
  },
  stages: {
    planned: "Planerat inköp",
    open: "Öppen för anbud",
    awarded: "Tilldelad",
    cancelled: "Avbruten",
    withdrawn: "Återkallad",
  },
  reservations: {
    none: "Inte reserverad: alla leverantörer kan lämna anbud",
    "res-ws":
      "Reserverad för skyddade verkstäder och företag vars huvudsyfte är att integrera personer med funktionsnedsättning eller missgynnade personer (art. 20)",
    "res-pub-ser": "Reserverad för organisationer med ett uppdrag i allmänhetens tjänst (art. 77)",
    unknown: "Inte angivet",
  },
  reservationsShort: {
    none: "inte reserverad",
    "res-ws": "reserverad (art. 20)",
    "res-pub-ser": "reserverad (art. 77)",
    unknown: "inte angivet",
  },
  reservedHint: "Inköpsplanen nämner ett reserverat kontrakt",
  subject: (event, title, stage) => {
    switch (event) {
      case "tender.new":
        return stage === "planned" ? `Nytt planerat inköp: ${title}` : `Ny upphandling: ${title}`;
      case "tender.changed":
        return `Ändrad: ${title}`;
      case "tender.published":
        return `Nu annonserad: ${title}`;
      case "tender.withdrawn":
        return `Återkallad: ${title}`;
      case "consortium.opportunity":
        return `Möjlighet till gemensamt anbud: ${title}`;
    }
  },
  groupHeading: {
    "tender.new": "Nya upphandlingar och planerade inköp",
    "tender.changed": "Ändrade upphandlingar",
    "tender.published": "Planerade inköp som nu är annonserade",
    "tender.withdrawn": "Återkallade upphandlingar",
    "consortium.opportunity": "Möjligheter till gemensamma anbud",
  },
  withdrawnNote:
    "Den upphandlande organisationen har återkallat upphandlingen, eller så har den tagits bort ur inköpsplanen.",
  digestSubject: (n, name) => `${n} ${n === 1 ? "uppdatering" : "uppdateringar"} för ${sv.quote(name)}`,
  digestTitle: "Din dagliga sammanfattning av upphandlingar",
  lotCount: (n) => `${n} ${n === 1 ? "delområde" : "delområden"}`,
  consortium: {
    you: "du",
    sentence: (members, cover) => `${members} täcker tillsammans ${cover}.`,
    whole: "hela kontraktet",
    both: "båda delområdena",
    all: (count) => `alla ${count} delområdena`,
    some: (k, n) => `${k} av de ${n} delområdena`,
    joined: (name, reason) =>
      reason === "registered"
        ? `${name} har just registrerat sig på jointbid.`
        : `${name} har uppdaterat sin profil på jointbid.`,
    yours: (reason) =>
      reason === "registered"
        ? "Din nya profil gör den här gruppen möjlig."
        : "Din uppdaterade profil gör den här gruppen möjlig.",
  },
  footer: (name) => `Du får det här mejlet eftersom du prenumererar på ${sv.quote(name)} hos jointbid.`,
  unsubscribe: "Avsluta prenumerationen",
  calendar: {
    deadline: (title) => `Sista anbudsdag: ${title}`,
    expected: (period, title) => `Beräknad annonsering (${period}): ${title}`,
    name: (s) => `jointbid: ${s}`,
  },
  feedTitle: (s) => `jointbid: ${s}`,
};

const nb: Wording = {
  months: [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
  ],
  seasons: { spring: "våren", summer: "sommeren", autumn: "høsten", winter: "vinteren" },
  quarter: (q, year) => `${q}. kvartal ${year}`,
  half: (h, year) => `${h === 1 ? "første" : "andre"} halvår ${year}`,
  day: (d, m, y) => `${d}. ${m} ${y}`,
  dateTime: (date, h, m) => `${date} kl. ${h}.${m}`,
  money: (amount, currency) => `${amount} ${currency}`,
  thousands: "\u00a0",
  decimal: ",",
  quote: (t) => `«${t}»`,
  and: "og",
  numberWords: [
    "null",
    "én",
    "to",
    "tre",
    "fire",
    "fem",
    "seks",
    "sju",
    "åtte",
    "ni",
    "ti",
    "elleve",
    "tolv",
  ],
  labels: {
    buyer: "Oppdragsgiver",
    stage: "Status",
    expectedPublication: "Forventet kunngjøring",
    deadline: "Tilbudsfrist",
    value: "Anslått verdi",
    reservation: "Reservert kontrakt",
    category: "Kategori",
    lots: "Delkontrakter",
    changes: "Hva er endret",
    publishedAs: "Kunngjort som",
    notice: "Kunngjøring",
    coveredLots: "Delkontrakter dere dekker",
    notStated: "ikke oppgitt",
    viewTender: "Se anskaffelsen",
    viewNotice: "Se kunngjøringen",
    more: (n) => `og ${n} til`,
  },
  stages: {
    planned: "Planlagt anskaffelse",
    open: "Åpen for tilbud",
    awarded: "Tildelt",
    cancelled: "Avlyst",
    withdrawn: "Trukket tilbake",
  },
  reservations: {
    none: "Ikke reservert: alle leverandører kan gi tilbud",
    "res-ws":
      "Forbeholdt vernede virksomheter og virksomheter som har som hovedformål å integrere personer med funksjonsnedsettelse eller vanskeligstilte personer (art. 20)",
    "res-pub-ser": "Forbeholdt organisasjoner som har som oppdrag å yte offentlige tjenester (art. 77)",
    unknown: "Ikke oppgitt",
  },
  reservationsShort: {
    none: "ikke reservert",
    "res-ws": "reservert (art. 20)",
    "res-pub-ser": "reservert (art. 77)",
    unknown: "ikke oppgitt",
  },
  reservedHint: "Anskaffelsesplanen nevner en reservert kontrakt",
  subject: (event, title, stage) => {
    switch (event) {
      case "tender.new":
        return stage === "planned" ? `Ny planlagt anskaffelse: ${title}` : `Ny anskaffelse: ${title}`;
      case "tender.changed":
        return `Endret: ${title}`;
      case "tender.published":
        return `Nå kunngjort: ${title}`;
      case "tender.withdrawn":
        return `Trukket tilbake: ${title}`;
      case "consortium.opportunity":
        return `Mulighet for felles tilbud: ${title}`;
    }
  },
  groupHeading: {
    "tender.new": "Nye kunngjøringer og planlagte anskaffelser",
    "tender.changed": "Endrede anskaffelser",
    "tender.published": "Planlagte anskaffelser som nå er kunngjort",
    "tender.withdrawn": "Tilbaketrukne anskaffelser",
    "consortium.opportunity": "Muligheter for felles tilbud",
  },
  withdrawnNote:
    "Oppdragsgiveren har trukket anskaffelsen tilbake, eller den er fjernet fra anskaffelsesplanen.",
  digestSubject: (n, name) => `${n} ${n === 1 ? "oppdatering" : "oppdateringer"} for ${nb.quote(name)}`,
  digestTitle: "Din daglige oversikt over anskaffelser",
  lotCount: (n) => `${n} ${n === 1 ? "delkontrakt" : "delkontrakter"}`,
  consortium: {
    you: "du",
    sentence: (members, cover) => `${members} dekker til sammen ${cover}.`,
    whole: "hele kontrakten",
    both: "begge delkontraktene",
    all: (count) => `alle ${count} delkontraktene`,
    some: (k, n) => `${k} av de ${n} delkontraktene`,
    joined: (name, reason) =>
      reason === "registered"
        ? `${name} har nettopp registrert seg på jointbid.`
        : `${name} har oppdatert profilen sin på jointbid.`,
    yours: (reason) =>
      reason === "registered"
        ? "Den nye profilen din gjør denne gruppen mulig."
        : "Den oppdaterte profilen din gjør denne gruppen mulig.",
  },
  footer: (name) => `Du får denne e-posten fordi du abonnerer på ${nb.quote(name)} hos jointbid.`,
  unsubscribe: "Meld deg av",
  calendar: {
    deadline: (title) => `Tilbudsfrist: ${title}`,
    expected: (period, title) => `Forventet kunngjøring (${period}): ${title}`,
    name: (s) => `jointbid: ${s}`,
  },
  feedTitle: (s) => `jointbid: ${s}`,
};

const en: Wording = {
  months: [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
  seasons: { spring: "Spring", summer: "Summer", autumn: "Autumn", winter: "Winter" },
  quarter: (q, year) => `Q${q} ${year}`,
  half: (h, year) => `${h === 1 ? "First" : "Second"} half of ${year}`,
  day: (d, m, y) => `${d} ${m} ${y}`,
  dateTime: (date, h, m) => `${date}, ${h}:${m}`,
  money: (amount, currency) => `${currency} ${amount}`,
  thousands: ",",
  decimal: ".",
  quote: (t) => `“${t}”`,
  and: "and",
  numberWords: [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
  ],
  labels: {
    buyer: "Buyer",
    stage: "Stage",
    expectedPublication: "Expected publication",
    deadline: "Tender deadline",
    value: "Estimated value",
    reservation: "Reservation",
    category: "Category",
    lots: "Lots",
    changes: "What changed",
    publishedAs: "Published as",
    notice: "Notice",
    coveredLots: "Lots you cover",
    notStated: "not stated",
    viewTender: "View the tender",
    viewNotice: "View the notice",
    more: (n) => `and ${n} more`,
  },
  stages: {
    planned: "Planned purchase",
    open: "Open for tenders",
    awarded: "Awarded",
    cancelled: "Cancelled",
    withdrawn: "Withdrawn",
  },
  reservations: {
    none: "Not reserved: open to all suppliers",
    "res-ws":
      "Reserved for sheltered workshops and enterprises whose main aim is the integration of disabled or disadvantaged persons (Art. 20)",
    "res-pub-ser": "Reserved for organisations with a public-service mission (Art. 77)",
    unknown: "Not stated",
  },
  reservationsShort: {
    none: "not reserved",
    "res-ws": "reserved (Art. 20)",
    "res-pub-ser": "reserved (Art. 77)",
    unknown: "not stated",
  },
  reservedHint: "The procurement plan mentions a reservation",
  subject: (event, title, stage) => {
    switch (event) {
      case "tender.new":
        return stage === "planned" ? `New planned purchase: ${title}` : `New tender: ${title}`;
      case "tender.changed":
        return `Changed: ${title}`;
      case "tender.published":
        return `Now published: ${title}`;
      case "tender.withdrawn":
        return `Withdrawn: ${title}`;
      case "consortium.opportunity":
        return `Group opportunity: ${title}`;
    }
  },
  groupHeading: {
    "tender.new": "New tenders and planned purchases",
    "tender.changed": "Changed tenders",
    "tender.published": "Planned purchases now published",
    "tender.withdrawn": "Withdrawn tenders",
    "consortium.opportunity": "Group opportunities",
  },
  withdrawnNote: "The buyer has withdrawn this tender, or it is no longer in the buyer's procurement plan.",
  digestSubject: (n, name) => `${n} ${n === 1 ? "update" : "updates"} for ${en.quote(name)}`,
  digestTitle: "Your daily tender digest",
  lotCount: (n) => `${n} ${n === 1 ? "lot" : "lots"}`,
  consortium: {
    you: "you",
    sentence: (members, cover) => `${members} together cover ${cover}.`,
    whole: "the whole contract",
    both: "both lots",
    all: (count) => `all ${count} lots`,
    some: (k, n) => `${k} of the ${n} lots`,
    joined: (name, reason) =>
      reason === "registered"
        ? `${name} has just registered on jointbid.`
        : `${name} has updated its profile on jointbid.`,
    yours: (reason) =>
      reason === "registered"
        ? "Your new profile makes this group possible."
        : "Your updated profile makes this group possible.",
  },
  footer: (name) => `You receive this e-mail because you subscribed to ${en.quote(name)} on jointbid.`,
  unsubscribe: "Unsubscribe",
  calendar: {
    deadline: (title) => `Tender deadline: ${title}`,
    expected: (period, title) => `Expected publication (${period}): ${title}`,
    name: (s) => `jointbid: ${s}`,
  },
  feedTitle: (s) => `jointbid: ${s}`,
};

const WORDING: Readonly<Record<AlertLanguage, Wording>> = { da, sv, nb, en };

export function wordingFor(language: AlertLanguage): Wording {
  return WORDING[language];
}
