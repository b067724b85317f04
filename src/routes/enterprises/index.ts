import { createRouter } from "../openapi.js";
import * as handlers from "./enterprises.handlers.js";
import * as routes from "./enterprises.routes.js";

export const enterprisesRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.create, handlers.create)
  .openapi(routes.patch, handlers.patch);
