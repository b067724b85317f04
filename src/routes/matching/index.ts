import { createRouter } from "../openapi.js";
import * as handlers from "./matching.handlers.js";
import * as routes from "./matching.routes.js";

export const matchingRouter = createRouter()
  .openapi(routes.tenderMatches, handlers.tenderMatches)
  .openapi(routes.opportunities, handlers.opportunities)
  .openapi(routes.buyerInsight, handlers.buyerInsight)
  .openapi(routes.match, handlers.match);
