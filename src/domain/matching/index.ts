export * from "./consortium.js";
export * from "./eligibility.js";
export * from "./place.js";
export * from "./candidates.js";
export * from "./what-if.js";
export * from "./subcontracting.js";
export * from "./insight.js";
