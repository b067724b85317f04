/**
 * E-mail through a transactional mail provider's HTTP API (Resend's shape), against the msw
 * stand-in of test/mocks/mail-api.ts: what goes over the wire for an alert and a sign-in link,
 * how the provider's answers become delivery outcomes, which transport each runtime picks, and
 * the start-up checks of MAIL_API_URL and MAIL_API_KEY.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWorkerAlertChannels } from "../../../src/alerts/channels.worker.js";
import { renderAlertEmail } from "../../../src/alerts/email/email.render.js";
import {
  createMailApiChannel,
  createMailApiSendMail,
  type MailApiOptions,
} from "../../../src/alerts/email/mail-api.channel.js";
import { type AlertLanguage } from "../../../src/domain/subscription.js";
import { EnvError, parseEnv } from "../../../src/env.js";
import { nodeAlertChannels, nodeSendMail } from "../../../src/node-runtime.js";
import { aSubscription, aTender, anAlert, anItem } from "../../support/alert-fixtures.js";
import { type TestApp, createTestApp } from "../../support/app.js";
import { csrfOf, pageClient } from "../../support/page-client.js";
import { type SentMail, createMailApiMock } from "../../mocks/mail-api.js";

const BASE = "https://api.mail-provider.test";
const MAIL_API_URL = `${BASE}/emails`;
const KEY = "re_test_0123456789abcdef";
const FROM = "jointbid <alerts@jointbid.example.org>";
const OPTIONS: MailApiOptions = { url: MAIL_API_URL, apiKey: KEY, from: FROM };

const mock = createMailApiMock({ baseUrl: BASE, apiKey: KEY });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  mock.reset();
});
afterAll(() => server.close());

interface AlertBody {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

function emailTo(address: string, language: AlertLanguage = "da") {
  return aSubscription({ language }, { type: "email", address });
}

/** Waits until the provider has accepted `count` messages (sign-in mail leaves in the background). */
async function sentMail(count = 1, timeoutMs = 5_000): Promise<SentMail[]> {
  const deadline = Date.now() + timeoutMs;
  while (mock.sent.length < count) {
    if (Date.now() > deadline) throw new Error(`the provider got ${mock.sent.length} of ${count} messages`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return mock.sent;
}

describe("alert e-mail through the mail API", () => {
  it("POSTs the rendered alert as JSON: key, idempotency key, both bodies and the unsubscribe headers", async () => {
    const alert = anAlert([anItem("tender.new", aTender())], {
      subscription: emailTo("kontakt@rengoer.example"),
      key: "3f9a1c0de",
    });
    const result = await createMailApiChannel(OPTIONS).send(alert);

    expect(mock.sent).toHaveLength(1);
    expect(result).toEqual({ ok: true, detail: `mail api: HTTP 200, id ${mock.sent[0]?.id}` });
    const [request] = mock.requests;
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${KEY}`,
      "content-type": "application/json",
      "idempotency-key": "3f9a1c0de",
    });
    const body = request?.body as AlertBody;
    expect(Object.keys(body).sort()).toEqual(["from", "headers", "html", "subject", "text", "to"]);
    expect(body.from).toBe(FROM);
    expect(body.to).toEqual(["kontakt@rengoer.example"]);
    expect(body.subject).toBe("Nyt udbud: Rengøring af kommunale bygninger");
    expect(body.text).toContain("Ordregiver: Aarhus Kommune");
    expect(body.text).toContain("Tilbudsfrist: 12. maj 2027 kl. 12.00");
    expect(body.html).toContain('<html lang="da">');
    expect(body.html).toContain("Se udbuddet");
    expect(body.headers).toMatchObject({
      "Message-ID": "<3f9a1c0de@jointbid>",
      "List-Unsubscribe": "<https://jointbid.example.org/unsubscribe/tok_sub_1>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "X-Jointbid-Event": "tender.new",
    });
  });

  it("renders in each subscriber's language, as the SMTP channel does", async () => {
    const channel = createMailApiChannel(OPTIONS);
    const languages: AlertLanguage[] = ["da", "sv", "nb", "en"];
    for (const language of languages) {
      const alert = anAlert([anItem()], {
        subscription: emailTo(`${language}@example.org`, language),
        language,
        key: `lang-${language}`,
      });
      expect((await channel.send(alert)).ok).toBe(true);
      const body = mock.requests.at(-1)?.body as AlertBody;
      const rendered = renderAlertEmail(alert);
      expect(body.html).toContain(`<html lang="${language}">`);
      expect({ subject: body.subject, text: body.text, html: body.html }).toEqual({
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
      });
    }
    expect(new Set(mock.sent.map((m) => m.subject)).size).toBe(4);
  });

  it("sends a retry as the same request under the same key, so the provider sends the message once", async () => {
    const channel = createMailApiChannel(OPTIONS);
    const alert = anAlert([anItem()], { subscription: emailTo("again@example.dk"), key: "resend-1" });
    expect((await channel.send(alert)).ok).toBe(true);
    expect((await channel.send({ ...alert, deliveredAt: "2027-03-01T09:00:00Z" })).ok).toBe(true);
    expect(mock.requests.map((r) => r.headers["idempotency-key"])).toEqual(["resend-1", "resend-1"]);
    expect(mock.requests[1]?.raw).toBe(mock.requests[0]?.raw);
    expect(mock.sent).toHaveLength(1);
  });

  it.each([503, 429])("retries an HTTP %i", async (status) => {
    mock.failNext(status, { statusCode: status, name: "application_error", message: "Try again later." });
    const result = await createMailApiChannel(OPTIONS).send(anAlert([anItem()]));
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: `mail api: HTTP ${status}: application_error: Try again later.`,
    });
  });

  it("treats a 422 as final, with the provider's message in the reason", async () => {
    const message = "Invalid `to` field. The email address needs to follow the `email@example.com` format.";
    mock.failNext(422, { statusCode: 422, name: "validation_error", message });
    const result = await createMailApiChannel(OPTIONS).send(anAlert([anItem()]));
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error: `mail api: HTTP 422: validation_error: ${message}`,
    });
  });

  it("treats a key the provider refuses as final, and says so without showing the key", async () => {
    const result = await createMailApiChannel({ ...OPTIONS, apiKey: "re_revoked" }).send(anAlert([anItem()]));
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (result.ok) return;
    expect(result.error).toBe("mail api: HTTP 403: invalid_api_key: API key is invalid");
    expect(mock.sent).toEqual([]);
  });

  it("gives up on a provider that does not answer within the timeout, and retries later", async () => {
    mock.stallNext(3_000);
    const started = Date.now();
    const result = await createMailApiChannel({ ...OPTIONS, timeoutMs: 200 }).send(anAlert([anItem()]));
    expect(result).toEqual({ ok: false, retryable: true, error: "mail api: timed out after 200 ms" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("retries when the provider cannot be reached", async () => {
    server.use(http.post(MAIL_API_URL, () => HttpResponse.error()));
    const result = await createMailApiChannel(OPTIONS).send(anAlert([anItem()]));
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.error).toMatch(/^mail api: network: /);
  });
});

describe("sign-in mail through the mail API", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ sendMail: createMailApiSendMail(OPTIONS) });
    await t.account("enterprise", {}, "kaffe@example.org");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("mails the sign-in link as plain text, and the link signs the user in", async () => {
    const b = pageClient(t);
    const csrf = csrfOf(await (await b.get("/sign-in")).text());
    expect((await b.post("/sign-in", { email: "kaffe@example.org", _csrf: csrf })).status).toBe(200);

    const [mail] = await sentMail();
    expect(mail).toMatchObject({ from: FROM, to: ["kaffe@example.org"] });
    expect(mail?.subject).toEqual(expect.any(String));
    expect(mail?.html).toBeUndefined();
    expect(mock.requests[0]?.headers).toMatchObject({ authorization: `Bearer ${KEY}` });
    expect(mock.requests[0]?.headers["idempotency-key"]).toMatch(/^mail-[0-9a-f-]{36}$/);

    const token = decodeURIComponent(
      /\/sign-in\/callback\?token=([A-Za-z0-9_%-]+)/.exec(mail?.text ?? "")?.[1] ?? "",
    );
    expect(token.length).toBeGreaterThan(20);
    const page = await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    const signedIn = await b.post("/sign-in/callback", { token, _csrf: csrfOf(await page.text()) });
    expect(signedIn.status).toBe(303);
    expect(b.jar.session).toBeTruthy();
  });

  it("throws when the provider refuses the mail, with its reason for the log", async () => {
    mock.failNext(422, { statusCode: 422, name: "validation_error", message: "The `to` field is invalid." });
    await expect(
      createMailApiSendMail(OPTIONS)({ to: "kaffe@example.org", subject: "Log ind", text: "…" }),
    ).rejects.toThrow(
      "e-mail to kaffe@example.org not sent: mail api: HTTP 422: validation_error: The `to` field is invalid.",
    );
  });
});

describe("which transport is used", () => {
  const api = { MAIL_API_URL, MAIL_API_KEY: KEY, MAIL_FROM: FROM };

  it("on Workers: the mail API when MAIL_API_URL is set, for alerts", async () => {
    const { email } = createWorkerAlertChannels(parseEnv(api));
    expect((await email.send(anAlert([anItem()], { subscription: emailTo("w@example.org") }))).ok).toBe(true);
    expect(mock.sent.map((m) => m.to)).toEqual([["w@example.org"]]);
  });

  it("on Workers: without MAIL_API_URL alert e-mails are dead letters naming the settings", async () => {
    const { email } = createWorkerAlertChannels(parseEnv({}));
    expect(await email.send(anAlert([anItem()]))).toEqual({
      ok: false,
      retryable: false,
      error: "e-mail is not configured on Workers (set MAIL_API_URL and MAIL_API_KEY)",
    });
  });

  it("on Node: the mail API for alerts and sign-in links when MAIL_API_URL is set and SMTP_URL is not", async () => {
    const env = parseEnv(api);
    expect((await nodeAlertChannels(env).email.send(anAlert([anItem()]))).ok).toBe(true);
    await nodeSendMail(env)({ to: "n@example.org", subject: "Log ind", text: "https://…" });
    expect(mock.sent.map((m) => m.to)).toEqual([["kontakt@rengoer.example"], ["n@example.org"]]);
  });

  it("on Node: SMTP_URL wins when both are set", async () => {
    // Nothing listens on port 1: the attempt fails over SMTP, and the provider hears nothing.
    const env = parseEnv({ ...api, SMTP_URL: "smtp://127.0.0.1:1" });
    const result = await nodeAlertChannels(env).email.send(anAlert([anItem()]));
    expect(result).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^smtp/) });
    await expect(nodeSendMail(env)({ to: "n@example.org", subject: "s", text: "t" })).rejects.toThrow(/smtp/);
    expect(mock.requests).toEqual([]);
  });
});

describe("MAIL_API_URL and MAIL_API_KEY at start-up", () => {
  function issuesOf(source: Record<string, string>): { variable: string; message: string }[] {
    try {
      parseEnv(source);
    } catch (error) {
      if (error instanceof EnvError) return error.issues;
      throw error;
    }
    return [];
  }

  it("accepts an https URL with a key, and an http URL to this machine (a local relay)", () => {
    expect(parseEnv({ MAIL_API_URL, MAIL_API_KEY: KEY })).toMatchObject({ MAIL_API_URL, MAIL_API_KEY: KEY });
    expect(parseEnv({ MAIL_API_URL: "http://127.0.0.1:3025/emails", MAIL_API_KEY: KEY }).MAIL_API_URL).toBe(
      "http://127.0.0.1:3025/emails",
    );
    expect(parseEnv({ MAIL_API_URL: "", MAIL_API_KEY: "" }).MAIL_API_URL).toBeUndefined();
  });

  it("refuses a value that is not a URL", () => {
    expect(issuesOf({ MAIL_API_URL: "api.resend.com/emails", MAIL_API_KEY: KEY })).toEqual([
      {
        variable: "MAIL_API_URL",
        message: "an https:// URL of the mail provider's send endpoint (e.g. https://api.resend.com/emails)",
      },
    ]);
  });

  it("refuses plain http to another host: the request carries the key", () => {
    expect(issuesOf({ MAIL_API_URL: "http://mail.example.org/emails", MAIL_API_KEY: KEY })).toEqual([
      {
        variable: "MAIL_API_URL",
        message: "must be https:// (http:// only to localhost): the request carries MAIL_API_KEY",
      },
    ]);
  });

  it("refuses a URL without a key", () => {
    expect(issuesOf({ MAIL_API_URL })).toEqual([
      {
        variable: "MAIL_API_KEY",
        message:
          "required when MAIL_API_URL is set (the mail provider's API key; on Workers `wrangler secret put MAIL_API_KEY`)",
      },
    ]);
    expect(issuesOf({ MAIL_API_URL, MAIL_API_KEY: "  " }).map((i) => i.variable)).toEqual(["MAIL_API_KEY"]);
  });
});
