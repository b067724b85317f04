/**
 * The e-mail channel against a real SMTP server (smtp-server on 127.0.0.1, ephemeral port), and
 * the `.eml` outbox used without SMTP_URL. What arrives is parsed with mailparser.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { type AddressInfo, type Server, type Socket, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlertChannels } from "../../../src/alerts/channels.js";
import { createWorkerAlertChannels } from "../../../src/alerts/channels.worker.js";
import { createEmailChannel, emlFileName } from "../../../src/alerts/email/email.channel.js";
import { parseEnv } from "../../../src/env.js";
import { aPlannedTender, aSubscription, aTender, anAlert, anItem } from "../../support/alert-fixtures.js";

const FROM = "jointbid <alerts@jointbid.invalid>";

interface Received {
  from: string;
  to: string[];
  mail: ParsedMail;
  raw: string;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(":") + 1).trim();
}

function emailTo(address: string, language: "da" | "sv" | "nb" | "en" = "da") {
  return aSubscription({ language }, { type: "email", address });
}

const received: Received[] = [];
let smtp: SMTPServer;
let smtpUrl: string;
/** Accepts connections and never says a word: the greeting timeout must end the attempt. */
let silent: Server;
const silentSockets: Socket[] = [];
let silentPort: number;
let deadPort: number;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("unknown@")) return callback(smtpError("5.1.1 No such mailbox", 550));
      if (address.address.startsWith("busy@"))
        return callback(smtpError("4.3.0 Mailbox busy, try later", 451));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
              mail,
              raw: raw.toString("utf8"),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  silent = createServer((socket) => silentSockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
  silentPort = (silent.address() as AddressInfo).port;

  // A port that was free a moment ago: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  deadPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe("e-mail over SMTP", () => {
  it("delivers subject, text and HTML in the subscriber's language, with the headers", async () => {
    const channel = createEmailChannel({ smtpUrl, from: FROM });
    const alert = anAlert([anItem("tender.new", aTender())], {
      subscription: emailTo("kontakt@rengoer.example"),
      key: "3f9a1c0de",
    });
    const result = await channel.send(alert);
    expect(result.ok).toBe(true);

    const got = received.find((r) => r.mail.messageId === "<3f9a1c0de@jointbid>");
    expect(got).toBeDefined();
    if (!got) return;
    expect(got.to).toEqual(["kontakt@rengoer.example"]);
    expect(got.from).toBe("alerts@jointbid.invalid");
    expect(got.mail.subject).toBe("Nyt udbud: Rengøring af kommunale bygninger");
    expect(got.mail.text).toContain("Ordregiver: Aarhus Kommune");
    expect(got.mail.text).toContain("Tilbudsfrist: 12. maj 2027 kl. 12.00");
    expect(got.mail.text).toContain("Forbeholdt beskyttede værksteder");
    expect(got.mail.html).toContain('<html lang="da">');
    expect(got.mail.html).toContain("Se udbuddet");
    expect(header(got.mail, "List-Unsubscribe")).toBe("<https://jointbid.example.org/unsubscribe/tok_sub_1>");
    expect(header(got.mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(got.mail, "X-Jointbid-Event")).toBe("tender.new");
    expect(got.mail.date?.toISOString()).toBe("2027-03-01T08:00:00.000Z");
  });

  it("sends a digest in Swedish as one message", async () => {
    const channel = createEmailChannel({ smtpUrl, from: FROM });
    const subscription = aSubscription(
      { frequency: "daily", language: "sv" },
      { type: "email", address: "inkop@example.se" },
    );
    const alert = anAlert([anItem("tender.new", aPlannedTender()), anItem("tender.withdrawn", aTender())], {
      subscription,
      language: "sv",
      key: "digest-sv-1",
    });
    expect((await channel.send(alert)).ok).toBe(true);
    const got = received.find((r) => r.mail.messageId === "<digest-sv-1@jointbid>");
    expect(got?.mail.subject).toBe("2 uppdateringar för ”Rengøring i Østjylland”");
    expect(got?.mail.text).toContain("Beräknad annonsering: våren 2027");
    expect(got?.mail.text).toContain("Återkallade upphandlingar");
    expect(got?.mail.html).toContain("Avsluta prenumerationen");
    expect(got && header(got.mail, "X-Jointbid-Event")).toBe("tender.new, tender.withdrawn");
  });

  it("keeps the Message-ID of a resend", async () => {
    const channel = createEmailChannel({ smtpUrl, from: FROM });
    const alert = anAlert([anItem()], { subscription: emailTo("again@example.dk"), key: "resend-1" });
    expect((await channel.send(alert)).ok).toBe(true);
    expect((await channel.send({ ...alert, deliveredAt: "2027-03-01T09:00:00Z" })).ok).toBe(true);
    const copies = received.filter((r) => r.to.includes("again@example.dk"));
    expect(copies.map((c) => c.mail.messageId)).toEqual(["<resend-1@jointbid>", "<resend-1@jointbid>"]);
  });

  it("treats a 550 rejection as final", async () => {
    const channel = createEmailChannel({ smtpUrl, from: FROM });
    const result = await channel.send(anAlert([anItem()], { subscription: emailTo("unknown@example.dk") }));
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) expect(result.error).toContain("550");
  });

  it("retries a 451 temporary failure", async () => {
    const channel = createEmailChannel({ smtpUrl, from: FROM });
    const result = await channel.send(anAlert([anItem()], { subscription: emailTo("busy@example.dk") }));
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.error).toContain("451");
  });

  it("retries when nothing listens on the port", async () => {
    const channel = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${deadPort}`,
      from: FROM,
      timeoutMs: 2_000,
    });
    const result = await channel.send(anAlert([anItem()], { subscription: emailTo("kontakt@example.dk") }));
    expect(result).toMatchObject({ ok: false, retryable: true });
  });

  it("gives up on a server that never greets, within the timeout, and retries later", async () => {
    const channel = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${silentPort}`,
      from: FROM,
      timeoutMs: 300,
    });
    const started = Date.now();
    const result = await channel.send(anAlert([anItem()], { subscription: emailTo("kontakt@example.dk") }));
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses a subscription whose channel is a webhook", async () => {
    const channel = createEmailChannel({ smtpUrl, from: FROM });
    const subscription = aSubscription(
      {},
      { type: "webhook", url: "https://x.example/h", secret: "0123456789abcdef" },
    );
    expect(await channel.send(anAlert([anItem()], { subscription }))).toMatchObject({
      ok: false,
      retryable: false,
    });
  });

  it("is wired from the configuration", async () => {
    const channels = createAlertChannels(
      parseEnv({ SMTP_URL: smtpUrl, MAIL_FROM: "Alerts <a@jointbid.invalid>" }),
    );
    const alert = anAlert([anItem()], { subscription: emailTo("wired@example.dk"), key: "wired-1" });
    expect((await channels.email.send(alert)).ok).toBe(true);
    const got = received.find((r) => r.mail.messageId === "<wired-1@jointbid>");
    expect(got?.from).toBe("a@jointbid.invalid");
  });
});

describe("e-mail to the .eml outbox (no SMTP_URL)", () => {
  const dir = mkdtempSync(join(tmpdir(), "jointbid-outbox-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes one parseable file per message, named by the idempotency key", async () => {
    const outbox = join(dir, "nested", "outbox");
    const channel = createEmailChannel({ outboxDir: outbox, from: FROM });
    const alert = anAlert([anItem("tender.new", aTender())], {
      subscription: emailTo("kontakt@rengoer.example", "nb"),
      language: "nb",
      key: "sub_1:udbud:2027-0042:tender.new:1",
    });
    const result = await channel.send(alert);
    expect(result.ok).toBe(true);
    const name = emlFileName(alert.idempotencyKey);
    expect(name).toBe("sub_1%3Audbud%3A2027-0042%3Atender%2Enew%3A1.eml");
    expect(readdirSync(outbox)).toEqual([name]);

    const raw = readFileSync(join(outbox, name));
    expect(raw.toString("latin1")).toContain("\r\n");
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe("Ny anskaffelse: Rengøring af kommunale bygninger");
    expect(mail.messageId).toBe(`<sub_1%3Audbud%3A2027-0042%3Atender%2Enew%3A1@jointbid>`);
    expect(mail.text).toContain("Oppdragsgiver: Aarhus Kommune");
    expect(mail.html).toContain("Meld deg av");
    expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(mail, "List-Unsubscribe")).toBe("<https://jointbid.example.org/unsubscribe/tok_sub_1>");
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    expect(to?.value[0]?.address).toBe("kontakt@rengoer.example");
  });

  it("overwrites on a resend instead of adding a file, and leaves no temporary files", async () => {
    const outbox = join(dir, "resend");
    const channel = createEmailChannel({ outboxDir: outbox, from: FROM });
    const alert = anAlert([anItem()], { key: "resend-key" });
    expect((await channel.send(alert)).ok).toBe(true);
    expect((await channel.send({ ...alert, deliveredAt: "2027-03-02T08:00:00Z" })).ok).toBe(true);
    expect(readdirSync(outbox)).toEqual(["resend-key.eml"]);
    const mail = await simpleParser(readFileSync(join(outbox, "resend-key.eml")));
    expect(mail.date?.toISOString()).toBe("2027-03-02T08:00:00.000Z");
    expect((await channel.send(anAlert([anItem()], { key: "other-key" }))).ok).toBe(true);
    expect(readdirSync(outbox).sort()).toEqual(["other-key.eml", "resend-key.eml"]);
  });

  it("is what createAlertChannels gives without SMTP_URL", async () => {
    const outbox = join(dir, "configured");
    const channels = createAlertChannels(parseEnv({ MAIL_OUTBOX_DIR: outbox }));
    expect((await channels.email.send(anAlert([anItem()], { key: "cfg" }))).ok).toBe(true);
    expect(readdirSync(outbox)).toEqual(["cfg.eml"]);
  });
});

describe("e-mail on Workers", () => {
  it("answers, for good, that e-mail is not configured", async () => {
    const channels = createWorkerAlertChannels(parseEnv({}));
    expect(await channels.email.send(anAlert([anItem()]))).toEqual({
      ok: false,
      retryable: false,
      error: "e-mail is not configured on Workers (set MAIL_API_URL and MAIL_API_KEY)",
    });
  });
});
