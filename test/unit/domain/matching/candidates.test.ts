import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { covers } from "../../../../src/domain/cpv.js";
import { coveringCodes } from "../../../../src/domain/matching/index.js";

describe("coveringCodes", () => {
  it("lists the code and its ancestors with three or more significant digits", () => {
    expect(coveringCodes("90911200").sort()).toEqual(["90900000", "90910000", "90911000", "90911200"]);
    expect(coveringCodes("90000000")).toEqual(["90000000"]);
    expect(coveringCodes("90900000")).toEqual(["90900000"]);
  });

  it("is exactly the set of codes that cover the code", () => {
    const code = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
      .map((d) => d.join(""));
    fc.assert(
      fc.property(code, code, fc.integer({ min: 1, max: 8 }), (required, other, cut) => {
        // Half the time a truncation of the required code (an ancestor or not), else any code.
        for (const own of [other, required.slice(0, cut).padEnd(8, "0")]) {
          expect(coveringCodes(required).includes(own)).toBe(covers(own, required));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
