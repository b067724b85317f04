import { createRouter } from "../openapi.js";
import * as handlers from "./tenders.handlers.js";
import * as routes from "./tenders.routes.js";

export const tendersRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.create, handlers.create)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove);
