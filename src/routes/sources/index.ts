import { createRouter } from "../openapi.js";
import * as handlers from "./sources.handlers.js";
import * as routes from "./sources.routes.js";

export const sourcesRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.runs, handlers.runs);
