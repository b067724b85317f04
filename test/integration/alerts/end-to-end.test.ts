/**
 * From subscription to inbox with real parts: an enterprise subscribes through the API by
 * e-mail and by webhook, a buyer publishes a matching tender, the `alerts:deliver` job sends
 * through the real channels to a real SMTP server and a real HTTP receiver on 127.0.0.1; the
 * e-mail's one-click unsubscribe link then works without signing in.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlertChannels } from "../../../src/alerts/channels.js";
import { verifySignature } from "../../../src/alerts/webhook.js";
import { parseEnv } from "../../../src/env.js";
import { runAlertsDeliver } from "../../../src/jobs/alerts.job.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";

const SECRET = "sixteen characters at least";

describe("alerts end to end", () => {
  let t: TestApp;
  let smtp: SMTPServer;
  let receiver: Server;
  const mails: { to: string[]; mail: ParsedMail }[] = [];
  const hooks: {
    key: string;
    event: string;
    signed: boolean;
    body: { event: string; tender: { title: string } };
  }[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      disableReverseLookup: true,
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          simpleParser(Buffer.concat(chunks))
            .then((mail) => {
              mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        void verifySignature(SECRET, raw, String(req.headers["x-jointbid-signature"])).then((signed) => {
          hooks.push({
            key: String(req.headers["idempotency-key"]),
            event: String(req.headers["x-jointbid-event"]),
            signed,
            body: JSON.parse(raw.toString("utf8")) as (typeof hooks)[number]["body"],
          });
          res.writeHead(204).end();
        });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const env = parseEnv({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, ALLOW_PRIVATE_WEBHOOKS: "true" });
    t = await createTestApp({
      alerts: { channels: createAlertChannels(env), baseUrl: "http://127.0.0.1:8787" },
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it("delivers a matching tender by e-mail in Danish and by signed webhook, and nothing else", async () => {
    const enterprise = (await t.account("enterprise")).token;
    const buyer = (await t.account("buyer", { buyerId: "dk-0751" })).token;
    const filters = { q: "rengøring", cpv: ["909"], countries: ["DK"], stages: ["planned", "open"] };
    const mail = await t.request("POST", "/api/subscriptions", {
      token: enterprise,
      body: {
        name: "Rengøring i Aarhus",
        filters,
        channel: { type: "email", address: "rengoering@example.org" },
        language: "da",
      },
    });
    expect(mail.status).toBe(201);
    const port = (receiver.address() as AddressInfo).port;
    const hook = await t.request("POST", "/api/subscriptions", {
      token: enterprise,
      body: {
        name: "Rengøring (system)",
        filters,
        channel: { type: "webhook", url: `http://127.0.0.1:${port}/jointbid`, secret: SECRET },
      },
    });
    expect(hook.status).toBe(201);
    for (const [externalId, title, cpv] of [
      ["rengoering-2027", "Rengøring af plejecentre", "90911200"],
      ["asfalt-2027", "Asfaltarbejder på kommunale veje", "45233220"],
    ] as const) {
      const res = await t.request("POST", "/api/tenders", {
        token: buyer,
        body: {
          externalId,
          title,
          cpv: [cpv],
          reserved: "res-ws",
          expectedPublication: { date: "2027-04-01", precision: "quarter" },
          estimatedValue: { amount: 3_000_000, currency: "DKK" },
        },
      });
      expect(res.status).toBe(201);
    }

    const summary = await runAlertsDeliver(t.deps, new Date());
    expect(summary).toMatchObject({ sent: 2, dead: 0, retried: 0 });

    expect(mails).toHaveLength(1);
    const m = mails[0];
    expect(m?.to).toEqual(["rengoering@example.org"]);
    expect(m?.mail.subject).toContain("Rengøring af plejecentre");
    expect(m?.mail.text).toContain("Aarhus Kommune");
    expect(m?.mail.text).toContain("2. kvartal 2027");
    expect(m?.mail.html).toContain("Rengøring af plejecentre");
    expect(m?.mail.messageId).toMatch(/^<[0-9a-f]{32}@jointbid>$/);

    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ event: "tender.new", signed: true });
    expect(hooks[0]?.body.tender.title).toBe("Rengøring af plejecentre");
    expect(m?.mail.messageId).not.toBe(`<${hooks[0]?.key}@jointbid>`); // one key per subscription

    // A second run sends nothing again.
    expect(await runAlertsDeliver(t.deps, new Date())).toMatchObject({ sent: 0 });

    // The List-Unsubscribe link works in one click, without signing in.
    const line = m?.mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
    const link = /<([^>]+)>/.exec(line)?.[1] ?? "";
    expect(m?.mail.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toContain(
      "List-Unsubscribe=One-Click",
    );
    const path = new URL(link).pathname + new URL(link).search;
    const res = await t.request("POST", path, {
      body: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({ name: "Rengøring i Aarhus", wasActive: true });
  });
});
