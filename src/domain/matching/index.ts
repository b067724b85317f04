export * from "./consortium.js";
export * from "./eligibility.js";
export * from "./place.js";
export * from "./candidates.js";
