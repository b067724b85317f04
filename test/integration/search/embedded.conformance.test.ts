import { createEmbeddedSearchEngine } from "../../../src/search/embedded/embedded.engine.js";
import { describeSearchConformance } from "./conformance.js";

describeSearchConformance("embedded", async () => createEmbeddedSearchEngine());
