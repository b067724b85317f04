import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCrawlError } from "../../../crawlers/errors.js";
import { decodeBody } from "../../../crawlers/http/charset.js";
import type { PlanItem } from "../../../crawlers/plan/plan-item.js";
import { readPlanDocument } from "../../../crawlers/readers.js";
import { runCli } from "../../support/process.js";

/**
 * The general plan extractor against pages it was not built from (see
 * test/fixtures/plans-unseen/PROVENANCE.md): each file is read the way a crawl reads it, and the
 * items must be exactly what a person reads off the page (expected.json).
 */

const DIR = fileURLToPath(new URL("../../fixtures/plans-unseen/", import.meta.url));

interface ExpectedItem {
  reference?: string;
  title: string;
  description?: string;
  department: string | null;
  expectedPublication: { date: string; precision: string } | null;
  estimatedValue: { amount: number; currency: string } | null;
  contractPeriod: { months: number; optionMonths: number; start?: string; end?: string } | null;
  cpv: string[];
  reservedHint: boolean;
}

interface ExpectedFile {
  file: string;
  buyer: string;
  country: string;
  url: string;
  noPlan?: boolean;
  items: ExpectedItem[];
}

const expected = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as { files: ExpectedFile[] };

function readFixture(f: ExpectedFile): Parameters<typeof readPlanDocument>[0] {
  const bytes = new Uint8Array(readFileSync(join(DIR, f.file)));
  if (f.file.endsWith(".html")) {
    return { bytes, text: decodeBody(bytes, "text/html").text, contentType: "text/html", url: f.url };
  }
  return { bytes, fileName: f.file, url: f.url };
}

/** The item as a person would check it: only the fields expected.json lists. */
function view(item: PlanItem, want: ExpectedItem | undefined): ExpectedItem {
  const period = item.contractPeriod;
  return {
    ...(want?.reference !== undefined ? { reference: item.reference ?? "(none)" } : {}),
    title: item.title,
    ...(want?.description !== undefined
      ? {
          description: item.description?.includes(want.description)
            ? want.description
            : (item.description ?? "(none)"),
        }
      : {}),
    department: item.department ?? null,
    expectedPublication: item.expectedPublication
      ? { date: item.expectedPublication.date, precision: item.expectedPublication.precision }
      : null,
    estimatedValue: item.estimatedValue
      ? { amount: item.estimatedValue.amount, currency: item.estimatedValue.currency }
      : null,
    contractPeriod:
      period && (period.months !== undefined || period.optionMonths !== undefined)
        ? {
            months: period.months ?? 0,
            // "3 år" states no options: absent and 0 mean the same here.
            optionMonths: period.optionMonths ?? 0,
            ...(want?.contractPeriod?.start !== undefined ? { start: period.start ?? "(none)" } : {}),
            ...(want?.contractPeriod?.end !== undefined ? { end: period.end ?? "(none)" } : {}),
          }
        : null,
    cpv: item.cpv,
    reservedHint: item.reservedHint !== undefined,
  };
}

describe("plan extractor on unseen plan pages", () => {
  for (const f of expected.files) {
    if (f.noPlan) {
      it(`${f.file}: is not a plan and yields no items`, async () => {
        const error: unknown = await readPlanDocument(readFixture(f), {
          buyer: f.buyer,
          country: f.country,
        }).then(
          (r) => r.items.map((i) => i.title),
          (e: unknown) => e,
        );
        expect(isCrawlError(error) ? error.kind : error).toBe("parse");
      });
      continue;
    }
    it(`${f.file}: ${f.items.length} items as a person reads them`, async () => {
      const read = await readPlanDocument(readFixture(f), { buyer: f.buyer, country: f.country });
      expect(read.items.map((i) => i.title)).toEqual(f.items.map((i) => i.title));
      expect(read.items.map((item, i) => view(item, f.items[i]))).toEqual(f.items);
      for (const item of read.items) {
        expect(item.country).toBe(f.country);
        expect(item.sourceUrl).toBe(f.url);
      }
      // Rows that are not items (totals, footers) are left out silently, not reported as broken.
      expect(read.errors).toEqual([]);
    });
  }
});

describe("ingest-plan on unseen plan pages", () => {
  let dir: string;
  let env: Record<string, string>;
  const aarhus = join(DIR, "dk-aarhus-udbudskalender.html");
  const odense = join(DIR, "dk-odense-udbudsplan-2026.csv");

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-unseen-"));
    env = { DATABASE_URL: `file:${join(dir, "plans.db")}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the items as JSON and writes nothing without --save", async () => {
    const html = await runCli(
      ["ingest-plan", aarhus, "--buyer", "Aarhus Kommune", "--country", "DK", "--json"],
      env,
    );
    expect(html.code, html.stderr).toBe(0);
    const htmlItems = JSON.parse(html.stdout) as PlanItem[];
    expect(htmlItems.map((i) => i.title)).toEqual(expected.files[0]?.items.map((i) => i.title));
    expect(htmlItems[0]).toMatchObject({
      country: "DK",
      estimatedValue: { amount: 12_000_000, currency: "DKK" },
      expectedPublication: { date: "2026-04-01", precision: "quarter" },
    });

    const csv = await runCli(
      ["ingest-plan", odense, "--buyer", "Odense Kommune", "--country", "DK", "--json"],
      env,
    );
    expect(csv.code, csv.stderr).toBe(0);
    const csvItems = JSON.parse(csv.stdout) as PlanItem[];
    expect(csvItems.map((i) => i.reference)).toEqual([
      "OK-2026-001",
      "OK-2026-002",
      "OK-2026-003",
      "OK-2026-004",
      "OK-2026-005",
    ]);
    expect(csvItems[1]).toMatchObject({
      title: "Madservice til hjemmeboende ældre",
      department: "Ældre- og Handicapforvaltningen",
      cpv: ["55521100", "55321000"],
    });

    expect(existsSync(join(dir, "plans.db"))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("stores the items with --save, and a second run finds nothing new", async () => {
    const args = ["ingest-plan", aarhus, "--buyer", "Aarhus Kommune", "--country", "DK", "--save", "--json"];
    const first = await runCli(args, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("saved as source plan-dk-0751");
    expect(first.stderr).toMatch(/: 5 new, 0 changed, 0 unchanged, 0 withdrawn, 0 skipped/);
    expect((JSON.parse(first.stdout) as PlanItem[]).length).toBe(5);
    expect(existsSync(join(dir, "plans.db"))).toBe(true);

    const second = await runCli(args, env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain("saved as source plan-dk-0751");
    expect(second.stderr).toMatch(/: 0 new, 0 changed, 5 unchanged, 0 withdrawn, 0 skipped/);
  });
});

/**
 * The rules added for the pages above must not misread plans written the other way: these are the
 * near misses of each rule.
 */
describe("the generality rules stay narrow", () => {
  const html = (table: string) => {
    const text = `<html><body><main><h1>Udbudsplan</h1><table>${table}</table></main></body></html>`;
    return {
      bytes: new TextEncoder().encode(text),
      text,
      contentType: "text/html",
      url: "https://dk.example/plan",
    };
  };
  const read = (table: string, country = "DK") =>
    readPlanDocument(html(table), { buyer: "Test Kommune", country }).then((r) => r.items);

  it("keeps the description as the title when the areas are repeated categories", async () => {
    const items = await read(
      `<tr><th>Område</th><th>Beskrivelse</th><th>Forventet udbud</th></tr>
       <tr><td>IT</td><td>Indkøb af bærbare computere til skolerne i hele kommunen</td><td>Q1 2027</td></tr>
       <tr><td>IT</td><td>Licenser til kontorpakke og e-mail for alle ansatte</td><td>Q2 2027</td></tr>`,
    );
    expect(items.map((i) => [i.title, i.department])).toEqual([
      ["Indkøb af bærbare computere til skolerne i hele kommunen", "IT"],
      ["Licenser til kontorpakke og e-mail for alle ansatte", "IT"],
    ]);
  });

  it("does not scale a cell that states its own unit, and scales bare numbers by the heading", async () => {
    const items = await read(
      `<tr><th>Opgave</th><th>Anslået værdi (1.000 kr.)</th></tr>
       <tr><td>Rengøring</td><td>4.500</td></tr>
       <tr><td>Vinduespolering</td><td>2,5 mio. kr.</td></tr>
       <tr><td>Snerydning</td><td>Ikke fastlagt</td></tr>`,
    );
    expect(items.map((i) => i.estimatedValue?.amount)).toEqual([4_500_000, 2_500_000, undefined]);
  });

  it("does not take the end of the current contract as the end of the new one", async () => {
    const items = await read(
      `<tr><th>Opgave</th><th>Kontraktstart</th><th>Udløb af nuværende kontrakt</th></tr>
       <tr><td>Rengøring</td><td>01.01.2027</td><td>31.12.2026</td></tr>`,
    );
    expect(items[0]?.contractPeriod).toMatchObject({ start: "2027-01-01" });
    expect(items[0]?.contractPeriod?.months).toBeUndefined();
    expect(items[0]?.description).toContain("Udløb af nuværende kontrakt: 31.12.2026");
  });

  it("reads a split-year quarter as a financial-year quarter only where plans count them so", async () => {
    const table = `<tr><th>Contract title</th><th>Procurement start</th></tr>
       <tr><td>Grounds maintenance</td><td>Q3 2026/27</td></tr>
       <tr><td>Office furniture</td><td>Q3 2026</td></tr>`;
    const gb = await read(table, "GB");
    expect(gb.map((i) => i.expectedPublication?.date)).toEqual(["2026-10-01", "2026-07-01"]);
    const dk = await read(table, "DK");
    expect(dk.map((i) => i.expectedPublication?.date)).toEqual(["2026-07-01", "2026-07-01"]);
  });
});
