import { createRouter } from "../openapi.js";
import * as handlers from "./subscriptions.handlers.js";
import * as routes from "./subscriptions.routes.js";

export const subscriptionsRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.deliveries, handlers.deliveries)
  .openapi(routes.test, handlers.test)
  .openapi(routes.rotateFeed, handlers.rotateFeed)
  .openapi(routes.revokeFeed, handlers.revokeFeed)
  .openapi(routes.atom, handlers.atom)
  .openapi(routes.ical, handlers.ical)
  .openapi(routes.unsubscribePage, handlers.unsubscribePage)
  .openapi(routes.unsubscribe, handlers.unsubscribe);
