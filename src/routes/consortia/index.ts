import { createRouter } from "../openapi.js";
import * as handlers from "./consortia.handlers.js";
import * as routes from "./consortia.routes.js";

export const consortiaRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.invite, handlers.invite)
  .openapi(routes.respond, handlers.respond)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.status, handlers.status)
  .openapi(routes.summary, handlers.summary);
