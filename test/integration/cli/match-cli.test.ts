/**
 * `cli match`: a tender and enterprises in the API's JSON shapes in, consortia and singles out,
 * through the real CLI; no database is opened. The inputs are the demo's gift-basket tender
 * (as the API returns it, with fields matching does not read) and the demo enterprises.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../../support/process.js";

interface Answer {
  consortia: {
    members: string[];
    lots: string[];
    score: number;
    explanation: unknown;
    competitionFlag: boolean;
  }[];
  singles: { id: string; lots: string[] }[];
  infeasible: null | { reasons: { kind: string; lotId?: string; code?: string }[] };
}

describe("cli match", () => {
  let dir: string;
  let tenderFile: string;
  let enterprisesFile: string;
  const env = { DATABASE_URL: "file:/nonexistent/dir/never-opened.db" };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-match-"));
    const demoTenders = JSON.parse(readFileSync(join(PROJECT_ROOT, "src/demo/tenders.json"), "utf8")) as {
      externalId: string;
      buyerId: string;
    }[];
    const gifts = demoTenders.find((x) => x.externalId === "aarhus-gavekurve-2027");
    // The API's Tender shape: a buyer object, plus fields matching ignores.
    const tender = {
      ...gifts,
      id: "demo:aarhus-gavekurve-2027",
      buyer: { id: gifts?.buyerId, name: "Aarhus Kommune", country: "DK" },
      firstSeen: "2026-01-01T00:00:00Z",
    };
    tenderFile = join(dir, "tender.json");
    writeFileSync(tenderFile, JSON.stringify(tender));
    enterprisesFile = join(dir, "enterprises.json");
    writeFileSync(enterprisesFile, readFileSync(join(PROJECT_ROOT, "src/demo/enterprises.json")));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the smallest consortium first, in the documented shape", async () => {
    const r = await runCli(
      ["match", "--tender", tenderFile, "--enterprises", enterprisesFile, "--json"],
      env,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as Answer;
    expect(Object.keys(answer).sort()).toEqual(["consortia", "infeasible", "singles"]);
    expect(answer.infeasible).toBeNull();
    expect(answer.singles).toEqual([]);
    expect(answer.consortia[0]?.members.slice().sort()).toEqual([
      "blindes-arbejde-aarhus",
      "fair-trade-gruppen",
      "social-foodies",
    ]);
    expect(answer.consortia[0]?.lots).toEqual(["LOT-0001", "LOT-0002", "LOT-0003"]);
    expect(answer.consortia[0]?.competitionFlag).toBe(false);
  });

  it("says why nothing is feasible when the maximum size is too small", async () => {
    const r = await runCli(
      ["match", "--tender", tenderFile, "--enterprises", enterprisesFile, "--max-size", "2", "--json"],
      env,
    );
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as Answer;
    expect(answer.consortia).toEqual([]);
    expect(answer.infeasible?.reasons).toEqual([{ kind: "no-consortium", maxSize: 2 }]);
  });

  it("rejects a bad option and an invalid tender with a message and a non-zero exit", async () => {
    const size = await runCli(
      ["match", "--tender", tenderFile, "--enterprises", enterprisesFile, "--max-size", "0"],
      env,
    );
    expect(size.code).toBe(2);
    expect(size.stderr).toContain("--max-size must be a whole number from 1 to 8");

    const badTender = join(dir, "bad-tender.json");
    writeFileSync(
      badTender,
      JSON.stringify({ title: "Rengøring", lots: [{ id: "1", title: "x", cpv: ["9091"] }] }),
    );
    const invalid = await runCli(["match", "--tender", badTender, "--enterprises", enterprisesFile], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("bad-tender.json: invalid");
    expect(invalid.stderr).toContain("lots.0.cpv.0");
  });

  it("rejects a file that is not JSON, or not there, naming it", async () => {
    const notJson = join(dir, "not-json.json");
    writeFileSync(notJson, "[{");
    const broken = await runCli(["match", "--tender", tenderFile, "--enterprises", notJson], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("not-json.json: not JSON");

    const missing = await runCli(
      ["match", "--tender", join(dir, "nope.json"), "--enterprises", enterprisesFile],
      env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such file");
  });
});
