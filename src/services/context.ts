import type { AlertChannel } from "../alerts/channel.port.js";
import type { Classifier } from "../classify/classifier.port.js";
import type { Logger } from "../logger.js";
import type { SearchIndexer } from "../search/indexer.js";
import type { SearchEngine } from "../search/search.port.js";
import type { Clock, Store } from "../store/store.js";
import type { CrawlerSettings } from "./crawl.service.js";

/** What the services need, whoever calls them: the HTTP app, the CLI, jobs, the demo loader. */
export interface ServiceContext {
  store: Store;
  search: SearchEngine;
  indexer: SearchIndexer;
  clock: Clock;
  logger: Logger;
  /** How crawls reach the web; without it, scheduled crawls do nothing. */
  crawler?: CrawlerSettings;
  /** Text → CPV codes; `defaultClassifier()` when absent (tests inject their own). */
  classifier?: Classifier;
  /**
   * How alerts leave: a channel per subscription channel type, and the public base URL for the
   * links in them. Without it the delivery job plans deliveries but sends nothing.
   */
  alerts?: { channels: { email: AlertChannel; webhook: AlertChannel }; baseUrl: string };
  /**
   * Days finished alert events are kept (ALERT_RETENTION_DAYS) before `alerts:prune` deletes
   * them; `DEFAULT_ALERT_RETENTION_DAYS` when absent.
   */
  alertRetentionDays?: number;
}
