/**
 * POST /api/cpv/suggest: what the enterprise registration page gets back for a description,
 * without an account; the errors it may see; and the route in the OpenAPI document.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultClassifier } from "../../../src/classify/classifier.js";
import type {
  Classification,
  Classifier,
  ClassifyOptions,
  CpvSuggestion,
} from "../../../src/classify/classifier.port.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";

interface Suggestions {
  language: string;
  model: string;
  suggestions: { code: string; label: string; score: number }[];
}

interface Envelope {
  error: { code: string; message: string; requestId: string; fields?: { path: string; message: string }[] };
}

/** Twenty codes, best first, with an extra field the API must not pass on. */
const TWENTY: (CpvSuggestion & { debug: string })[] = Array.from({ length: 20 }, (_, i) => ({
  code: String(90_910_000 + i * 100),
  label: `Label ${i}`,
  score: Math.round((0.95 - i * 0.04) * 100) / 100,
  debug: "internal",
}));

function fakeClassifier(): Classifier & { calls: { text: string; options: ClassifyOptions | undefined }[] } {
  const calls: { text: string; options: ClassifyOptions | undefined }[] = [];
  return {
    version: "fake-cpv-1",
    calls,
    classify(text: string, options?: ClassifyOptions): Classification {
      calls.push({ text, options });
      return { language: options?.lang ?? "da", suggestions: TWENTY.slice(0, options?.limit ?? 5) };
    },
  };
}

const suggest = (t: TestApp, payload: unknown, options: { token?: string } = {}) =>
  t.request("POST", "/api/cpv/suggest", { body: payload, ...options });

describe("POST /api/cpv/suggest", () => {
  let t: TestApp;
  let fake: ReturnType<typeof fakeClassifier>;

  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(() => {
    fake = fakeClassifier();
    t.deps.classifier = fake;
  });
  afterAll(() => t.close());

  it("answers anyone, without a token, with the language, the model and the top 5 codes", async () => {
    const res = await suggest(t, { text: "Vi tilbyder rengøring og havehjælp" });
    expect(res.status).toBe(200);
    const answer = await body<Suggestions>(res);
    expect(answer).toEqual({
      language: "da",
      model: "fake-cpv-1",
      suggestions: TWENTY.slice(0, 5).map(({ code, label, score }) => ({ code, label, score })),
    });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.text).toBe("Vi tilbyder rengøring og havehjælp");
  });

  it("passes the language on and returns as many codes as asked, 1 to 20", async () => {
    const one = await body<Suggestions>(await suggest(t, { text: "Städning", lang: "sv", limit: 1 }));
    expect(one.language).toBe("sv");
    expect(one.suggestions).toHaveLength(1);
    expect(fake.calls[0]?.options).toMatchObject({ lang: "sv", limit: 1 });
    const twenty = await body<Suggestions>(await suggest(t, { text: "Städning", limit: 20 }));
    expect(twenty.suggestions.map((s) => s.code)).toEqual(TWENTY.map((s) => s.code));
  });

  it("also answers a signed-in caller, and refuses a token that is not valid with 401", async () => {
    const { token } = await t.account("enterprise");
    expect((await suggest(t, { text: "Catering" }, { token })).status).toBe(200);
    const bad = await suggest(t, { text: "Catering" }, { token: "not-a-real-token-but-long-enough" });
    expect(bad.status).toBe(401);
    expect((await body<Envelope>(bad)).error.code).toBe("UNAUTHORIZED");
  });

  const invalid: [string, unknown, string][] = [
    ["no text", { lang: "da" }, "text"],
    ["an empty text", { text: "" }, "text"],
    ["a text of spaces", { text: "   \n " }, "text"],
    ["a text over 5 000 characters", { text: "rengøring ".repeat(501) }, "text"],
    ["a language we do not classify", { text: "Cleaning", lang: "de" }, "lang"],
    ["a limit of 0", { text: "Cleaning", limit: 0 }, "limit"],
    ["a limit over 20", { text: "Cleaning", limit: 21 }, "limit"],
    ["a text that is not a string", { text: 42 }, "text"],
  ];
  for (const [what, payload, field] of invalid) {
    it(`refuses ${what} with 400 in the error envelope naming "${field}"`, async () => {
      const res = await suggest(t, payload);
      expect(res.status).toBe(400);
      const err = await body<Envelope>(res);
      expect(err.error).toMatchObject({ code: "VALIDATION_FAILED", requestId: expect.any(String) });
      expect(err.error.fields?.map((f) => f.path)).toContain(field);
      expect(fake.calls).toEqual([]);
    });
  }

  it("accepts exactly 5 000 characters", async () => {
    expect((await suggest(t, { text: "x".repeat(5_000) })).status).toBe(200);
  });

  it("answers malformed JSON with 400 and a body that is not JSON with 415, both in the envelope", async () => {
    const malformed = await suggest(t, "{not json");
    expect(malformed.status).toBe(400);
    expect((await body<Envelope>(malformed)).error.code).toBe("VALIDATION_FAILED");
    const text = await t.request("POST", "/api/cpv/suggest", {
      body: "text=rengøring",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect((await body<Envelope>(text)).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("is in the OpenAPI document, without a security requirement, with its body and error responses", async () => {
    const doc = await body<{
      paths: Record<
        string,
        Record<
          string,
          {
            security?: unknown[];
            requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
            responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
          }
        >
      >;
    }>(await t.request("GET", "/openapi.json"));
    const op = doc.paths["/api/cpv/suggest"]?.post;
    expect(op).toBeDefined();
    expect(op?.security).toBeUndefined();
    expect(op?.requestBody?.content["application/json"]?.schema.$ref).toBe(
      "#/components/schemas/CpvSuggestInput",
    );
    expect(op?.responses["200"]?.content?.["application/json"]?.schema.$ref).toBe(
      "#/components/schemas/CpvSuggestions",
    );
    for (const status of ["400", "429"]) {
      expect(op?.responses[status]?.content?.["application/json"]?.schema.$ref).toBe(
        "#/components/schemas/Error",
      );
    }
  });
});

describe("POST /api/cpv/suggest under the per-address limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ writeRatePerIp: 2 });
    t.deps.classifier = fakeClassifier();
  });
  afterAll(() => t.close());

  it("counts anonymous calls per address and answers 429 with Retry-After beyond the limit", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await suggest(t, { text: `Rengøring ${i}` });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await body<Envelope>(last ?? new Response("{}"))).error.code).toBe("RATE_LIMITED");
  });
});

describe("POST /api/cpv/suggest with the bundled classifier", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const cases: [string, string, string][] = [
    ["da", "Vi tilbyder rengøring af kontorer, skoler og daginstitutioner", "9091"],
    ["sv", "Städning av förskolor och fritidsgårdar", "9091"],
  ];
  for (const [lang, text, prefix] of cases) {
    it(`suggests cleaning (${prefix}…) first for "${text}" (${lang}), five codes best first`, async () => {
      const res = await suggest(t, { text, lang });
      expect(res.status).toBe(200);
      const answer = await body<Suggestions>(res);
      expect(answer.language).toBe(lang);
      expect(answer.model).toBe(defaultClassifier().version);
      expect(answer.suggestions).toHaveLength(5);
      expect(answer.suggestions[0]?.code.slice(0, prefix.length)).toBe(prefix);
      for (const s of answer.suggestions) {
        expect(Object.keys(s).sort()).toEqual(["code", "label", "score"]);
        expect(s.code).toMatch(/^\d{8}$/);
        expect(s.label.length).toBeGreaterThan(0);
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(1);
      }
      const scores = answer.suggestions.map((s) => s.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });
  }

  it("detects the language when none is given", async () => {
    const answer = await body<Suggestions>(await suggest(t, { text: "Städning av förskolor" }));
    expect(answer.language).toBe("sv");
  });
});
