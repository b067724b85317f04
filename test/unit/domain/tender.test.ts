import { describe, expect, it } from "vitest";
import { AppError } from "../../../src/domain/errors.js";
import {
  Tender,
  TenderPatch,
  applyTenderPatch,
  diffTenders,
  tenderFromInput,
  TenderInput,
} from "../../../src/domain/tender.js";
import type { Buyer } from "../../../src/domain/buyer.js";

const aarhus: Buyer = {
  id: "dk-0751",
  name: "Aarhus Kommune",
  kind: "municipality",
  country: "DK",
  municipalityCode: "0751",
  nuts3: "DK042",
  location: { lat: 56.16317, lon: 10.16897 },
};
const now = "2026-11-22T10:00:00.000Z";

describe("tenders", () => {
  it("gives a tender without lots one lot with its codes, and the buyer's place and language", () => {
    const t = tenderFromInput(TenderInput.parse({ title: "Rengøring", cpv: ["90910000-9", "90910000"] }), {
      id: "api:dk-0751.x",
      buyer: aarhus,
      now,
    });
    expect(t.lots).toEqual([{ id: "LOT-0001", title: "Rengøring", cpv: ["90910000"] }]);
    expect(t.cpv).toEqual(["90910000"]);
    expect(t.place).toEqual({ lat: 56.16317, lon: 10.16897, nuts: "DK042", municipality: "0751" });
    expect(t.language).toBe("da");
    expect(t.stage).toBe("planned");
    expect(t.reserved).toBe("none");
  });

  it("collects every lot's codes into the tender's codes", () => {
    const t = tenderFromInput(
      TenderInput.parse({
        title: "Gavekurve",
        lots: [
          { id: "1", title: "Chokolade", cpv: ["15842000"] },
          { id: "2", title: "Børster", cpv: ["39224000", "15842000"] },
        ],
      }),
      { id: "api:dk-0751.g", buyer: aarhus, now },
    );
    expect(t.cpv).toEqual(["15842000", "39224000"]);
  });

  it("refuses places with half a coordinate and ids without a source", () => {
    const base = tenderFromInput(TenderInput.parse({ title: "x" }), {
      id: "api:dk-0751.y",
      buyer: aarhus,
      now,
    });
    expect(Tender.safeParse({ ...base, place: { lat: 56 } }).success).toBe(false);
    expect(Tender.safeParse({ ...base, id: "no-source" }).success).toBe(false);
    expect(Tender.safeParse({ ...base, id: "ted:123-2024" }).success).toBe(true);
  });

  it("patches: null clears, cpv sets the single lot's codes, the change is listed", () => {
    const before = tenderFromInput(
      TenderInput.parse({
        title: "Rengøring",
        cpv: ["90910000"],
        estimatedValue: { amount: 1, currency: "DKK" },
      }),
      { id: "api:dk-0751.p", buyer: aarhus, now },
    );
    const after = applyTenderPatch(
      before,
      TenderPatch.parse({ estimatedValue: null, cpv: ["90911200"] }),
      "2026-11-23T00:00:00.000Z",
    );
    expect(after.estimatedValue).toBeUndefined();
    expect(after.lots[0]?.cpv).toEqual(["90911200"]);
    expect(after.cpv).toEqual(["90911200"]);
    expect(after.lastChanged).toBe("2026-11-23T00:00:00.000Z");
    expect(diffTenders(before, after).map((c) => c.field)).toEqual(["cpv", "estimatedValue", "lots"]);
  });

  it("refuses to set tender-level codes on a tender with several lots", () => {
    const t = tenderFromInput(
      TenderInput.parse({
        title: "To delaftaler",
        lots: [
          { id: "1", title: "a" },
          { id: "2", title: "b" },
        ],
      }),
      { id: "api:dk-0751.l", buyer: aarhus, now },
    );
    expect(() => applyTenderPatch(t, TenderPatch.parse({ cpv: ["90910000"] }), now)).toThrow(AppError);
  });

  it("refuses an empty patch", () => {
    expect(TenderPatch.safeParse({}).success).toBe(false);
  });
});
