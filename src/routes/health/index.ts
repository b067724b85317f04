import { createRouter } from "../openapi.js";
import * as handlers from "./health.handlers.js";
import * as routes from "./health.routes.js";

export const healthRouter = createRouter().openapi(routes.health, handlers.health);
