import { createRouter } from "../openapi.js";
import * as handlers from "./ocds.handlers.js";
import * as routes from "./ocds.routes.js";

export const ocdsRouter = createRouter().openapi(routes.planning, handlers.planning);
