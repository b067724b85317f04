/**
 * The search conformance suite for the Meilisearch adapter: against the msw stand-in of the
 * documented HTTP API always, and against a real server when MEILI_URL is set (tests may read
 * the environment), each with its own index prefix.
 */
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe } from "vitest";
import { syncIndexSettings } from "../../../index-config/sync.js";
import { createMeilisearchClient } from "../../../src/search/meilisearch/meilisearch.client.js";
import { createMeilisearchEngine } from "../../../src/search/meilisearch/meilisearch.engine.js";
import { createMeilisearchMock } from "../../mocks/meilisearch.js";
import { describeSearchConformance } from "./conformance.js";

const MOCK_URL = "http://meilisearch.test:7700";
const MOCK_KEY = "conformance-master-key";

describe("meilisearch adapter on the msw stand-in", () => {
  const mock = createMeilisearchMock({ baseUrl: MOCK_URL, apiKey: MOCK_KEY });
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  describeSearchConformance("meilisearch (msw)", async () => {
    const options = { url: MOCK_URL, apiKey: MOCK_KEY, prefix: "conformance_", taskIntervalMs: 1 };
    await syncIndexSettings(createMeilisearchClient(options), {
      prefix: options.prefix,
      wait: { interval: 1 },
    });
    return createMeilisearchEngine(options);
  });
});

// Tests may read the environment (the lint rule exempts test/).
const MEILI_URL = process.env.MEILI_URL;
const MEILI_KEY = process.env.MEILI_KEY;

describe.runIf(MEILI_URL)("meilisearch adapter on a real server (MEILI_URL)", () => {
  // The body is collected even when skipped: build nothing here, only in the hooks.
  const prefix = `jointbid_conformance_${Date.now().toString(36)}_`;
  const options = () => ({ url: MEILI_URL ?? "", ...(MEILI_KEY ? { apiKey: MEILI_KEY } : {}), prefix });

  afterAll(async () => {
    const client = createMeilisearchClient(options());
    for (const suffix of ["tenders", "enterprises"]) await client.deleteIndexIfExists(`${prefix}${suffix}`);
  });

  describeSearchConformance("meilisearch (real server)", async () => {
    await syncIndexSettings(createMeilisearchClient(options()), { prefix });
    return createMeilisearchEngine(options());
  });
});
