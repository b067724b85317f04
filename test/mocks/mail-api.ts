/**
 * An msw stand-in for a transactional mail provider with Resend's JSON API at one base URL: the one
 * handler module for that host (https://resend.com/docs/api-reference/emails/send-email).
 *
 * - `POST /emails` with `Authorization: Bearer <key>`: 401 `missing_api_key` without a bearer
 *   token, 403 `invalid_api_key` with another one;
 * - a body that is not JSON, or without `from`, `to`, `subject` or one of `text`/`html`: 422
 *   `validation_error`;
 * - `Idempotency-Key` kept: the same key with the same body answers the first answer again and
 *   sends nothing more; the same key with another body is 409 `invalid_idempotent_request`;
 * - accepted: 200 `{"id": "<uuid>"}` and the message in `sent`.
 * Errors are `{statusCode, name, message}`, as Resend's.
 *
 * Control surface for tests: `requests` (every request as received), `sent` (messages the
 * provider accepted, once per key), `failNext(status, body)` and `stallNext(ms)` for the next
 * request, `reset()`.
 */
import { delay, http, HttpResponse } from "msw";
import type { HttpHandler } from "msw";

export interface ReceivedMailRequest {
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  raw: string;
  status: number;
}

export interface SentMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
}

type Fault = { kind: "fail"; status: number; body: unknown } | { kind: "stall"; ms: number };

const errorBody = (statusCode: number, name: string, message: string) => ({ statusCode, name, message });

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

export function createMailApiMock({ baseUrl, apiKey }: { baseUrl: string; apiKey: string }) {
  const requests: ReceivedMailRequest[] = [];
  const sent: SentMail[] = [];
  const faults: Fault[] = [];
  const byKey = new Map<string, { raw: string; status: number; answer: unknown }>();

  const answer = (received: ReceivedMailRequest, status: number, body: unknown) => {
    received.status = status;
    return HttpResponse.json(body as Record<string, unknown>, { status });
  };

  const handlers: HttpHandler[] = [
    http.post(`${baseUrl.replace(/\/$/, "")}/emails`, async ({ request }) => {
      const raw = await request.text();
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as text: answered with a validation error below
      }
      const received: ReceivedMailRequest = {
        headers: Object.fromEntries(request.headers.entries()),
        body,
        raw,
        status: 0,
      };
      requests.push(received);

      const fault = faults.shift();
      if (fault?.kind === "stall") await delay(fault.ms);
      if (fault?.kind === "fail") return answer(received, fault.status, fault.body);

      const authorization = request.headers.get("authorization") ?? "";
      if (!authorization.startsWith("Bearer ")) {
        return answer(
          received,
          401,
          errorBody(401, "missing_api_key", "Missing API key in the authorization header."),
        );
      }
      if (authorization !== `Bearer ${apiKey}`) {
        return answer(received, 403, errorBody(403, "invalid_api_key", "API key is invalid"));
      }

      const key = request.headers.get("idempotency-key");
      const earlier = key ? byKey.get(key) : undefined;
      if (earlier) {
        if (earlier.raw !== raw) {
          return answer(
            received,
            409,
            errorBody(
              409,
              "invalid_idempotent_request",
              "Same idempotency key used with a different request payload.",
            ),
          );
        }
        return answer(received, earlier.status, earlier.answer);
      }

      const message = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
      const { from, to, subject, text, html, headers } = message;
      const invalid =
        typeof from !== "string"
          ? "The `from` field is required."
          : !isStringArray(to) || to.length === 0
            ? "The `to` field is required."
            : typeof subject !== "string"
              ? "The `subject` field is required."
              : typeof text !== "string" && typeof html !== "string"
                ? "Either `text` or `html` is required."
                : undefined;
      if (
        invalid !== undefined ||
        typeof from !== "string" ||
        !isStringArray(to) ||
        typeof subject !== "string"
      ) {
        return answer(received, 422, errorBody(422, "validation_error", invalid ?? "Invalid request."));
      }
      const id = crypto.randomUUID();
      sent.push({
        id,
        from,
        to,
        subject,
        ...(typeof text === "string" ? { text } : {}),
        ...(typeof html === "string" ? { html } : {}),
        ...(typeof headers === "object" && headers !== null
          ? { headers: headers as Record<string, string> }
          : {}),
      });
      const accepted = { id };
      if (key) byKey.set(key, { raw, status: 200, answer: accepted });
      return answer(received, 200, accepted);
    }),
  ];

  return {
    handlers,
    requests,
    sent,
    /** The next request is answered with `status` and `body`, whatever it holds. */
    failNext(status: number, body: unknown) {
      faults.push({ kind: "fail", status, body });
    },
    /** The next request waits `ms` before it is handled. */
    stallNext(ms: number) {
      faults.push({ kind: "stall", ms });
    },
    reset() {
      requests.length = 0;
      sent.length = 0;
      faults.length = 0;
      byKey.clear();
    },
  };
}

export type MailApiMock = ReturnType<typeof createMailApiMock>;
