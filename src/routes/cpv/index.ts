import { createRouter } from "../openapi.js";
import * as handlers from "./cpv.handlers.js";
import * as routes from "./cpv.routes.js";

export const cpvRouter = createRouter()
  .openapi(routes.search, handlers.search)
  .openapi(routes.get, handlers.get)
  .openapi(routes.suggest, handlers.suggest);
