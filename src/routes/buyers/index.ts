import { createRouter } from "../openapi.js";
import * as handlers from "./buyers.handlers.js";
import * as routes from "./buyers.routes.js";

export const buyersRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get);
