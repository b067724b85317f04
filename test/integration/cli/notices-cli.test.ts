import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tender } from "../../../src/domain/tender.js";
import { runCli } from "../../support/process.js";

const NOTICES = "src/demo/notices";

describe("parse-notice and parse-ocds", () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-notices-cli-"));
    env = { DATABASE_URL: `file:${join(dir, "db", "cli.db")}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the normalised tender of a real Swedish TED notice, and writes nothing", async () => {
    const res = await runCli(
      ["parse-notice", `${NOTICES}/ted-r209/eforms-converted/21-364236-001-EXP.xml`, "--json"],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const tender = Tender.parse(JSON.parse(res.stdout));
    expect(tender).toMatchObject({ stage: "open", language: "sv", buyer: { country: "SE" } });
    expect(tender.buyer.name).toMatch(/Uppsala universitet/i);
    expect(tender.place?.nuts).toBe("SE121");
    expect(existsSync(join(dir, "db"))).toBe(false);
  });

  it("reads a reserved (Art. 20) planning notice with its reservation on the lot", async () => {
    const res = await runCli(
      ["parse-notice", `${NOTICES}/eforms/notices/pin-cfc-social_24.xml`, "--json"],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const tender = Tender.parse(JSON.parse(res.stdout));
    expect(tender.reserved).toBe("res-ws");
    expect(tender.lots.every((l) => l.reserved === "res-ws")).toBe(true);
  });

  it("names what is missing from an invalid notice and exits 1", async () => {
    const res = await runCli(
      ["parse-notice", `${NOTICES}/eforms/notices-invalid/INVALID_cn_24_empty.xml`, "--json"],
      env,
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("INVALID_cn_24_empty.xml: parse error");
    expect(res.stderr).toContain("no lot or part (cac:ProcurementProjectLot)");
  });

  it("says so for a file that is not there or not XML, without a stack trace", async () => {
    const missing = await runCli(["parse-notice", join(dir, "nowhere.xml")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no such file: .*nowhere\.xml\n$/);
    const text = join(dir, "notice.xml");
    writeFileSync(text, "Udbudsplan 2026: rengøring, Q2");
    const notXml = await runCli(["parse-notice", text], env);
    expect(notXml.code).toBe(1);
    expect(notXml.stderr).toContain("parse error");
    expect(notXml.stderr).not.toContain("    at ");
  });

  it("prints the tenders of the UK Contracts Finder planning releases", async () => {
    const res = await runCli(
      ["parse-ocds", `${NOTICES}/ocds/uk-contracts-finder-planning-releases.json`, "--json"],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const tenders = (JSON.parse(res.stdout) as unknown[]).map((t) => Tender.parse(t));
    expect(tenders).toHaveLength(4);
    expect(tenders.every((t) => t.stage === "planned" && t.buyer.country === "GB")).toBe(true);
    expect(tenders.map((t) => t.title)).toContain(
      "WHPC00637 - CATERING PROVISION TO WALSALL PALLIATIVE CARE CENTRE",
    );
  });

  it("rejects a JSON file that is no OCDS package, and a file that is no JSON", async () => {
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ hello: "world" }));
    const res = await runCli(["parse-ocds", other], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: other\.json: parse error/);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{"releases": [');
    const res2 = await runCli(["parse-ocds", broken], env);
    expect(res2.code).toBe(1);
    expect(res2.stderr).toContain("broken.json is not JSON");
  });

  it("asks for the file when it is not given (exit 2)", async () => {
    const res = await runCli(["parse-notice"], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("usage: parse-notice <file.xml>");
  });
});
