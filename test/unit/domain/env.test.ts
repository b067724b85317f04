import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../../src/env.js";

describe("configuration", () => {
  it("has defaults that serve the app with no setup", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 8787,
      HOST: "127.0.0.1",
      DATABASE_URL: "file:./data/jointbid.db",
      DEMO_DATA: true,
      MEILI_URL: undefined,
      MEILI_INDEX_PREFIX: "jointbid_",
    });
  });

  it("reads booleans and numbers, and treats an empty MEILI_URL as unset", () => {
    const env = parseEnv({ DEMO_DATA: "false", PORT: "9000", MEILI_URL: "", TRUST_PROXY: "1" });
    expect(env.DEMO_DATA).toBe(false);
    expect(env.PORT).toBe(9000);
    expect(env.MEILI_URL).toBeUndefined();
    expect(env.TRUST_PROXY).toBe(true);
  });

  it("names every variable that is wrong", () => {
    try {
      parseEnv({ PORT: "eighty", MEILI_URL: "not a url", DEMO_DATA: "maybe" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).issues.map((i) => i.variable).sort()).toEqual([
        "DEMO_DATA",
        "MEILI_URL",
        "PORT",
      ]);
    }
  });
});
