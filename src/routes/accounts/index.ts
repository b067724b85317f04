import { createRouter } from "../openapi.js";
import * as handlers from "./accounts.handlers.js";
import * as routes from "./accounts.routes.js";

export const accountsRouter = createRouter().openapi(routes.me, handlers.me);
