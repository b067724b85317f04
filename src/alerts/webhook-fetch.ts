import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { type LookupFunction, isIP } from "node:net";
import { type WebhookFetch, WebhookTargetRefusedError, isPrivateAddress } from "./webhook.js";

/**
 * The webhook channel's fetch on Node: node:http(s) with a `lookup` that checks the addresses a
 * host name resolves to when the socket connects, and hands the socket only those it checked. So
 * the address connected to is the address checked, and a name whose DNS answer turns private
 * after checkWebhookTarget (DNS rebinding) fails with WebhookTargetRefusedError instead of
 * reaching it. TLS still verifies the certificate against the host name (SNI is the name).
 *
 * Node-only (the Worker has no resolver and no socket hook; channels.worker.ts uses its fetch and
 * checks literal hosts only). Does what the channel asks of fetch (see WebhookFetch): one request,
 * no redirect followed, aborted with the signal's reason (a TimeoutError from
 * AbortSignal.timeout), settled at the response headers. One connection per request (no pool), so
 * no socket checked under one setting is reused under another.
 */

export interface NodeWebhookFetchOptions {
  /** ALLOW_PRIVATE_WEBHOOKS: connect to whatever the name resolves to. */
  allowPrivate: boolean;
  /** Host name → its addresses, asked again for every connection (channels.ts: the system resolver). */
  resolve: (host: string) => Promise<string[]>;
}

type LookupAddress = { address: string; family: number };

function wantedFamily(family: number | "IPv4" | "IPv6" | undefined): number {
  if (family === "IPv4") return 4;
  if (family === "IPv6") return 6;
  return family ?? 0;
}

/** A net `lookup` that resolves through `resolve` and refuses a name with any non-public address. */
export function guardedLookup(options: NodeWebhookFetchOptions): LookupFunction {
  const check = async (hostname: string, family: number): Promise<LookupAddress[]> => {
    const answers = (await options.resolve(hostname))
      .map((address) => ({ address, family: isIP(address) }))
      .filter((a) => a.family !== 0);
    if (!options.allowPrivate) {
      const bad = answers.find((a) => isPrivateAddress(a.address));
      if (bad) {
        throw new WebhookTargetRefusedError(
          `${hostname} resolved to ${bad.address} when connecting, not a public address`,
        );
      }
    }
    const usable = answers.filter((a) => family === 0 || a.family === family);
    if (usable.length === 0) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
    }
    return usable;
  };
  return (hostname, lookupOptions, callback) => {
    check(hostname, wantedFamily(lookupOptions.family)).then(
      (addresses) => {
        const [first] = addresses;
        if (lookupOptions.all || !first) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        callback(failure, "");
      },
    );
  };
}

export function createNodeWebhookFetch(options: NodeWebhookFetchOptions): WebhookFetch {
  const lookup = guardedLookup(options);
  return (target, init) =>
    new Promise((resolve, reject) => {
      const url = new URL(target);
      if (url.username || url.password) {
        // As the global fetch does.
        reject(new TypeError("a request URL must not include credentials"));
        return;
      }
      // Literal addresses are never looked up: net connects to them as they are.
      const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
      if (!options.allowPrivate && isIP(hostname) !== 0 && isPrivateAddress(hostname)) {
        reject(new WebhookTargetRefusedError(`${url.hostname} is not a public address`));
        return;
      }
      const { signal } = init;
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send({
        protocol: url.protocol,
        hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: init.method,
        headers: { ...init.headers, "Content-Length": String(Buffer.byteLength(init.body)) },
        agent: false,
        lookup,
      });
      const onAbort = () =>
        req.destroy(
          signal.reason instanceof Error
            ? signal.reason
            : Object.assign(new Error("aborted"), { name: "AbortError" }),
        );
      signal.addEventListener("abort", onAbort, { once: true });
      req.on("close", () => signal.removeEventListener("abort", onAbort));
      req.on("error", reject);
      req.on("response", (res) => {
        resolve({
          status: res.statusCode ?? 0,
          headers: {
            get(name) {
              const value = res.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
            },
          },
          body: {
            async cancel() {
              res.destroy();
            },
          },
        });
      });
      req.end(init.body);
    });
}
