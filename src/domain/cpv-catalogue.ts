import cpvData from "../data/cpv.json" with { type: "json" };
import { art77Applicable, cpvLevelDigits, parseCpv, parseCpvPrefix } from "./cpv.js";
import { fold, foldedWords } from "./text.js";

export const CPV_LANGUAGES = ["en", "nb", "da", "sv"] as const;
export type CpvLanguage = (typeof CPV_LANGUAGES)[number];

interface CpvRow {
  code: string;
  parent: string | null;
  en: string;
  nb: string;
  da?: string;
  sv?: string;
  annexXIV?: boolean;
}

export interface CpvEntry {
  code: string;
  parent: string | null;
  /** 1 division, 2 group, 3 class, 4 category, 5+ finer. */
  level: number;
  labels: Partial<Record<CpvLanguage, string>>;
  /** One of the social and other specific services of Annex XIV (light regime). */
  annexXIV: boolean;
  /** A contract for this code may be reserved under Art. 77. */
  art77: boolean;
}

const rows = cpvData as CpvRow[];
const byCode = new Map<string, CpvEntry>();
const children = new Map<string, string[]>();
/** Folded label text per code, built on the first look-up (it costs tens of ms at start otherwise). */
let searchText: { code: string; words: string[]; text: string }[] | undefined;

function labelIndex(): { code: string; words: string[]; text: string }[] {
  searchText ??= [...byCode.values()].map((entry) => {
    const text = Object.values(entry.labels).map(fold).join(" | ");
    return { code: entry.code, words: foldedWords(text), text };
  });
  return searchText;
}

for (const row of rows) {
  const labels: Partial<Record<CpvLanguage, string>> = { en: row.en, nb: row.nb };
  if (row.da) labels.da = row.da;
  if (row.sv) labels.sv = row.sv;
  byCode.set(row.code, {
    code: row.code,
    parent: row.parent,
    level: cpvLevelDigits(row.code) - 1,
    labels,
    annexXIV: row.annexXIV === true,
    art77: art77Applicable(row.code),
  });
  if (row.parent) {
    const list = children.get(row.parent) ?? [];
    list.push(row.code);
    children.set(row.parent, list);
  }
}

export function cpvEntry(code: string): CpvEntry | undefined {
  const parsed = parseCpv(code);
  return parsed === undefined ? undefined : byCode.get(parsed);
}

/** Every code, in code order. */
export function cpvEntries(): readonly CpvEntry[] {
  return [...byCode.values()];
}

export function cpvCount(): number {
  return byCode.size;
}

/** The label in the language asked for, else English. */
export function cpvLabel(code: string, lang: string = "en"): string | undefined {
  const entry = byCode.get(code);
  if (!entry) return undefined;
  return entry.labels[lang as CpvLanguage] ?? entry.labels.en;
}

/** All labels of a code, every language we have. */
export function cpvLabels(code: string): string[] {
  const entry = byCode.get(code);
  return entry ? Object.values(entry.labels) : [];
}

/** Ancestors from the division down to the parent. */
export function cpvAncestors(code: string): CpvEntry[] {
  const out: CpvEntry[] = [];
  let current = byCode.get(code)?.parent;
  while (current) {
    const entry = byCode.get(current);
    if (!entry) break;
    out.unshift(entry);
    current = entry.parent;
  }
  return out;
}

export function cpvChildren(code: string): CpvEntry[] {
  return (children.get(code) ?? []).flatMap((c) => byCode.get(c) ?? []);
}

/**
 * Look-up by code or label for autocompletion. A query of digits matches codes by prefix;
 * words match labels in any language, folded ("rengoring" finds "Rengøring"), each query word
 * as a word prefix. Ranked: exact code, then labels starting with the query, then by level.
 */
export function searchCpv(query: string, limit = 20): CpvEntry[] {
  const q = query.trim();
  if (q === "") return [];
  const digits = q.replace(/-\d$/, "");
  if (/^\d{1,8}$/.test(digits)) {
    const exact = parseCpv(q);
    const prefix = parseCpvPrefix(digits) ?? digits;
    const found: CpvEntry[] = [];
    if (exact && byCode.has(exact)) found.push(byCode.get(exact) as CpvEntry);
    for (const entry of byCode.values()) {
      if (found.length >= limit) break;
      if (entry.code !== exact && entry.code.startsWith(prefix)) found.push(entry);
    }
    return found.slice(0, limit);
  }
  const words = foldedWords(q);
  if (words.length === 0) return [];
  const phrase = words.join(" ");
  const scored: { entry: CpvEntry; score: number }[] = [];
  for (const item of labelIndex()) {
    if (!words.every((w) => item.words.some((iw) => iw.startsWith(w)))) continue;
    const entry = byCode.get(item.code);
    if (!entry) continue;
    let score = 10 - entry.level;
    if (item.text.startsWith(phrase) || item.text.includes(`| ${phrase}`)) score += 20;
    if (words.every((w) => item.words.includes(w))) score += 10;
    scored.push({ entry, score });
  }
  scored.sort((a, b) => b.score - a.score || a.entry.code.localeCompare(b.entry.code));
  return scored.slice(0, limit).map((s) => s.entry);
}
