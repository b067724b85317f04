import { Meilisearch, MeilisearchApiError, MeilisearchError } from "meilisearch";
import type { EnqueuedTask, MeilisearchErrorResponse, Task, WaitOptions } from "meilisearch";
import { taskFailedError, toAppError } from "./meilisearch.errors.js";

/**
 * The Meilisearch client as this service uses it: fetch only (Node and Workers), the client's
 * own timeouts for requests and task waits, and jittered exponential retries of 5xx and network
 * errors (the client has no retry option). 4xx answers are never retried.
 */
export interface MeilisearchClientOptions {
  url: string;
  apiKey?: string;
  /** fetch to use; the global fetch (looked up per request) by default. */
  fetch?: typeof fetch;
  /** Timeout of one request, the client's `timeout` option. Default 10 s. */
  timeoutMs?: number;
  /** Retries after a 5xx answer or a network error. Default 2. */
  retries?: number;
  /** First backoff delay; doubles per retry, with jitter. Default 200 ms. */
  retryBaseDelayMs?: number;
  /** How long to wait for a task (the client's defaultWaitOptions). Default 120 s. */
  taskTimeoutMs?: number;
  /** Poll interval while waiting for a task. Default 50 ms. */
  taskIntervalMs?: number;
}

const DEFAULTS = {
  timeoutMs: 10_000,
  retries: 2,
  retryBaseDelayMs: 200,
  taskTimeoutMs: 120_000,
  taskIntervalMs: 50,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isErrorBody(value: unknown): value is MeilisearchErrorResponse {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Index creation is the one request we send that is not idempotent (a retry after a lost answer
 * would enqueue a second creation that fails); everything else (add-or-replace, delete by ids,
 * settings, reads, searches) may be repeated safely.
 */
function retryable(method: string, url: URL): boolean {
  return !(method === "POST" && /\/indexes\/?$/.test(url.pathname));
}

export function createHttpClient(
  options: Pick<MeilisearchClientOptions, "fetch" | "retries" | "retryBaseDelayMs">,
): (input: RequestInfo | URL, init?: RequestInit) => Promise<unknown> {
  const retries = options.retries ?? DEFAULTS.retries;
  const base = options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return async (input, init) => {
    const method = (init?.method ?? "GET").toUpperCase();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const mayRetry = retryable(method, url);
    for (let attempt = 0; ; attempt++) {
      const canRetry = mayRetry && attempt < retries;
      const backoff = () => sleep(base * 2 ** attempt * (0.5 + Math.random() / 2));
      let response: Response;
      try {
        response = await doFetch(input, init);
      } catch (error) {
        // Aborts (the client's timeout) and exhausted retries go back to the client as they are,
        // so that it reports them with its own error classes.
        if (init?.signal?.aborted || !canRetry) throw error;
        await backoff();
        continue;
      }
      if (response.status >= 500 && canRetry) {
        await response.text().catch(() => undefined); // drain it, so the connection is reused
        await backoff();
        continue;
      }
      const body = parseBody(await response.text());
      if (!response.ok) throw new MeilisearchApiError(response, isErrorBody(body) ? body : undefined);
      if (typeof body === "string")
        throw new MeilisearchError(`Meilisearch answered ${url.pathname} with non-JSON`);
      return body;
    }
  };
}

export function createMeilisearchClient(options: MeilisearchClientOptions): Meilisearch {
  return new Meilisearch({
    host: options.url,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    timeout: options.timeoutMs ?? DEFAULTS.timeoutMs,
    defaultWaitOptions: {
      timeout: options.taskTimeoutMs ?? DEFAULTS.taskTimeoutMs,
      interval: options.taskIntervalMs ?? DEFAULTS.taskIntervalMs,
    },
    httpClient: createHttpClient(options),
  });
}

/**
 * Waits for an enqueued task and throws when it did not succeed, so that a write is done (and
 * searchable) when this returns. Request failures become AppErrors with the given context.
 */
export async function waitForTaskOrThrow(
  client: Meilisearch,
  enqueued: Promise<EnqueuedTask> | EnqueuedTask,
  context: Record<string, unknown>,
  wait?: WaitOptions,
): Promise<Task> {
  let task: Task;
  try {
    task = await client.tasks.waitForTask(await enqueued, wait);
  } catch (error) {
    throw toAppError(error, context);
  }
  if (task.status !== "succeeded") throw taskFailedError(task, context);
  return task;
}
