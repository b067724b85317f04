import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildFromData, modelText, splitText } from "../../../src/classify/scripts/build-model.js";

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");

describe("src/data/cpv-model.json", () => {
  it("is what the build script makes from the data (npm run classify:build), split included", () => {
    const built = buildFromData();
    expect(splitText(built.split)).toBe(read("test/fixtures/cpv/split.json"));
    expect(modelText(built.model)).toBe(read("src/data/cpv-model.json"));
    // The model never saw the held-out part.
    const heldOut = new Set(built.split.heldOut);
    expect(built.split.train.some((id) => heldOut.has(id))).toBe(false);
    expect(built.model.trainedOn.examples).toBe(built.split.train.length);
  }, 180_000);
});
