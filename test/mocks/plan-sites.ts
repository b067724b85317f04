/**
 * msw handlers for municipal websites that publish tender plans, one host per municipality,
 * serving the saved fixtures of test/fixtures/plans/. Each host can be switched to a fault:
 * the fault matrix of the crawler tests.
 */
import { readFileSync } from "node:fs";
import { delay, http, HttpResponse, type HttpHandler } from "msw";

const FIXTURES = new URL("../fixtures/plans/", import.meta.url);

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

export const FAULTS = [
  "none",
  "timeout",
  "server-error",
  "too-many-requests",
  "malformed-html",
  "no-plan",
  "too-large",
  "redirect-loop",
  "robots-disallow",
  "wrong-charset",
] as const;
export type Fault = (typeof FAULTS)[number];

export interface PlanSite {
  host: string;
  path: string;
  /** Fixture file in test/fixtures/plans/. */
  file: string;
  contentType: string;
  /** An ETag the site sends, and answers 304 to when it comes back. */
  etag?: string;
}

export interface PlanSites {
  handlers: HttpHandler[];
  fault: Map<string, Fault>;
  /** Every request by host, in order: `GET /udbudsplan`. */
  requests: Map<string, string[]>;
}

const ELEVEN_MB = new Uint8Array(11 * 1024 * 1024).fill(0x20);

/** A page that is not well-formed HTML: truncated mid-table, stray bytes, unclosed tags. */
const MALFORMED = new Uint8Array([
  ...new TextEncoder().encode('<html><body><table><tr><td>Opgave<td>Forv<<<<"" \x00\x01'),
  0xff,
  0xfe,
  0x00,
  ...new TextEncoder().encode("<tr><td colspan=9999999999><table><table><table>"),
]);

/** The same page as bytes in ISO-8859-1 while the server claims UTF-8. */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 0x3f));
}

export function createPlanSites(sites: readonly PlanSite[]): PlanSites {
  const fault = new Map<string, Fault>(sites.map((s) => [s.host, "none"]));
  const requests = new Map<string, string[]>(sites.map((s) => [s.host, []]));
  const handlers: HttpHandler[] = [];
  for (const site of sites) {
    const origin = `https://${site.host}`;
    const log = (request: { method: string; url: string }) =>
      requests.get(site.host)?.push(`${request.method} ${new URL(request.url).pathname}`);
    handlers.push(
      http.get(`${origin}/robots.txt`, ({ request }) => {
        log(request);
        if (fault.get(site.host) === "robots-disallow") {
          return new HttpResponse("User-agent: jointbid\nDisallow: /\n\nUser-agent: *\nAllow: /\n", {
            headers: { "content-type": "text/plain" },
          });
        }
        return new HttpResponse("User-agent: *\nDisallow: /intern/\n", {
          headers: { "content-type": "text/plain" },
        });
      }),
      http.get(`${origin}/loop-a`, ({ request }) => {
        log(request);
        return new HttpResponse(null, { status: 302, headers: { location: "/loop-b" } });
      }),
      http.get(`${origin}/loop-b`, ({ request }) => {
        log(request);
        return new HttpResponse(null, { status: 302, headers: { location: `${origin}/loop-a` } });
      }),
      http.get(`${origin}${site.path}`, async ({ request }) => {
        log(request);
        switch (fault.get(site.host) ?? "none") {
          case "timeout":
            await delay(5_000);
            return new HttpResponse("too late");
          case "server-error":
            return new HttpResponse("<h1>500 Internal Server Error</h1>", { status: 500 });
          case "too-many-requests":
            return new HttpResponse("slow down", { status: 429, headers: { "retry-after": "3" } });
          case "malformed-html":
            return new HttpResponse(MALFORMED, { headers: { "content-type": "text/html; charset=utf-8" } });
          case "no-plan":
            return new HttpResponse(fixture("no-plan-news.html"), {
              headers: { "content-type": "text/html; charset=utf-8" },
            });
          case "too-large":
            return new HttpResponse(ELEVEN_MB, {
              headers: { "content-type": "text/html", "content-length": String(ELEVEN_MB.length) },
            });
          case "redirect-loop":
            return new HttpResponse(null, { status: 301, headers: { location: "/loop-a" } });
          case "wrong-charset":
            return new HttpResponse(latin1(new TextDecoder().decode(fixture(site.file))), {
              headers: { "content-type": "text/html; charset=utf-8" },
            });
          default:
            break;
        }
        if (site.etag && request.headers.get("if-none-match") === site.etag) {
          return new HttpResponse(null, { status: 304, headers: { etag: site.etag } });
        }
        return new HttpResponse(fixture(site.file), {
          headers: { "content-type": site.contentType, ...(site.etag ? { etag: site.etag } : {}) },
        });
      }),
    );
  }
  return { handlers, fault, requests };
}
