import { readFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  checkWebhookTarget,
  isPrivateAddress,
  parseIPv4,
  parseIPv6,
  signBody,
  verifySignature,
} from "../../../src/alerts/webhook.js";

describe("isPrivateAddress", () => {
  const refused: [string, string][] = [
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback /8"],
    ["10.0.0.1", "private 10/8"],
    ["172.16.0.1", "private 172.16/12"],
    ["172.31.255.255", "private 172.16/12, top"],
    ["192.168.1.1", "private 192.168/16"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["100.64.0.1", "CGNAT"],
    ["100.127.255.255", "CGNAT, top"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "this network"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast (SSDP)"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["2130706433", "decimal 127.0.0.1"],
    ["0x7f000001", "hex 127.0.0.1"],
    ["0x7f.0.0.1", "hex part"],
    ["0177.0.0.1", "octal 127.0.0.1"],
    ["017700000001", "octal number"],
    ["127.1", "two-part loopback"],
    ["10.1", "two-part private"],
    ["192.168.257", "three-part private"],
    ["127.0.0.1.", "trailing dot"],
    ["::1", "IPv6 loopback"],
    ["[::1]", "bracketed loopback"],
    ["::", "IPv6 unspecified"],
    ["0:0:0:0:0:0:0:1", "long-form loopback"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
    ["[::ffff:a9fe:a9fe]", "IPv4-mapped metadata"],
    ["::ffff:10.0.0.1", "IPv4-mapped private"],
    ["::127.0.0.1", "IPv4-compatible loopback"],
    ["64:ff9b::7f00:1", "NAT64 of loopback"],
    ["2002:7f00:1::", "6to4 of loopback"],
    ["2002:c0a8:101::1", "6to4 of 192.168.1.1"],
    ["fc00::1", "unique-local"],
    ["fd12:3456:789a::1", "unique-local fd"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local with zone"],
    ["febf::1", "link-local, top"],
    ["fec0::1", "site-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["2001::1", "Teredo"],
    ["100::1", "discard-only"],
  ];
  for (const [ip, why] of refused) {
    it(`refuses ${ip} (${why})`, () => expect(isPrivateAddress(ip)).toBe(true));
  }

  const allowed = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "169.253.1.1",
    "192.169.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
    "2001:200::1",
  ];
  for (const ip of allowed) {
    it(`allows ${ip}`, () => expect(isPrivateAddress(ip)).toBe(false));
  }

  it("is false for what is not an address", () => {
    for (const s of [
      "example.org",
      "",
      "1.2.3.4.5",
      "256.1.1.1",
      "08.1.1.1",
      "::ffff::1",
      "1:2:3:4:5:6:7:8:9",
    ]) {
      expect(isPrivateAddress(s), s).toBe(false);
    }
  });

  it("parses the forms it checks", () => {
    expect(parseIPv4("2130706433")).toEqual([127, 0, 0, 1]);
    expect(parseIPv4("0x7f.1")).toEqual([127, 0, 0, 1]);
    expect(parseIPv4("1.2.3.4")).toEqual([1, 2, 3, 4]);
    expect(parseIPv4("4294967296")).toBeUndefined();
    expect(parseIPv6("::ffff:1.2.3.4")?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIPv6("1::")).toEqual([0, 1, ...new Array(14).fill(0)]);
  });
});

describe("checkWebhookTarget", () => {
  const check = (url: string, resolve?: (host: string) => Promise<string[]>) =>
    checkWebhookTarget(url, { allowPrivate: false, ...(resolve ? { resolve } : {}) });

  const refusedUrls = [
    "http://localhost/hook",
    "http://LOCALHOST:8080/hook",
    "http://api.localhost/hook",
    "http://localhost./hook",
    "http://printer.local/hook",
    "http://metadata.google.internal/computeMetadata",
    "http://router.home.arpa/",
    "http://127.0.0.1/hook",
    "http://2130706433/hook",
    "http://0x7f.0.0.1/hook",
    "http://0177.0.0.1/hook",
    "http://127.1/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:169.254.169.254]/latest/meta-data",
    "http://169.254.169.254/latest/meta-data",
    "https://10.0.0.5:8443/hook",
    "http://[fd00::1]/hook",
    "http://0.0.0.0/hook",
    "http://user:pw@127.0.0.1/hook",
  ];
  for (const url of refusedUrls) {
    it(`refuses ${url}, for good`, async () => {
      const result = await check(url);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.retryable).toBe(false);
        expect(result.error).toContain("ALLOW_PRIVATE_WEBHOOKS");
      }
    });
  }

  it("refuses other schemes and garbage", async () => {
    for (const url of ["ftp://example.org/x", "file:///etc/passwd", "not a url", "javascript:alert(1)"]) {
      const result = await check(url);
      expect(result.ok, url).toBe(false);
      if (!result.ok) expect(result.retryable).toBe(false);
    }
  });

  it("allows public literal addresses and names (without a resolver: literal hosts only)", async () => {
    expect((await check("https://93.184.215.14/hook")).ok).toBe(true);
    expect((await check("https://[2606:4700:4700::1111]/hook")).ok).toBe(true);
    expect((await check("https://hooks.example.org/x")).ok).toBe(true);
  });

  it("resolves names and refuses one with any private address", async () => {
    const dns: Record<string, string[]> = {
      "public.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
      "sneaky.example": ["93.184.215.14", "10.0.0.8"],
      "mapped.example": ["::ffff:127.0.0.1"],
    };
    const resolve = async (host: string) => {
      const answer = dns[host];
      if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
      return answer;
    };
    expect((await check("https://public.example/h", resolve)).ok).toBe(true);
    const sneaky = await check("https://sneaky.example/h", resolve);
    expect(sneaky).toMatchObject({ ok: false, retryable: false });
    expect((await check("https://mapped.example/h", resolve)).ok).toBe(false);
    // A name that does not resolve now may resolve later.
    expect(await check("https://gone.example/h", resolve)).toMatchObject({ ok: false, retryable: true });
    // Literal addresses are never looked up.
    let asked = 0;
    await check("https://93.184.215.14/", async () => {
      asked++;
      return [];
    });
    expect(asked).toBe(0);
  });

  it("allows everything http(s) with allowPrivate", async () => {
    const result = await checkWebhookTarget("http://127.0.0.1:9/hook", { allowPrivate: true });
    expect(result.ok).toBe(true);
  });
});

describe("signatures", () => {
  const secret = "a secret of at least 16 chars";

  it("signs the exact bytes with HMAC-SHA256 and verifies them", async () => {
    const body = '{"event":"tender.new","title":"Rengøring"}';
    const header = await signBody(secret, body);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await signBody(secret, new TextEncoder().encode(body))).toBe(header);
    expect(await verifySignature(secret, body, header)).toBe(true);
    expect(
      await verifySignature(secret, Buffer.from(body), header.toUpperCase().replace("SHA256", "sha256")),
    ).toBe(true);
    expect(await verifySignature(secret, `${body} `, header)).toBe(false);
    expect(await verifySignature("another secret of 16+", body, header)).toBe(false);
    expect(await verifySignature(secret, body, header.slice(0, -2))).toBe(false);
    expect(await verifySignature(secret, body, undefined)).toBe(false);
    expect(await verifySignature(secret, body, `sha1=${header.slice(7)}`)).toBe(false);
  });

  it("matches a known HMAC-SHA256 vector (RFC 4231 case 2)", async () => {
    expect(await signBody("Jefe", "what do ya want for nothing?")).toBe(
      "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
});

describe("the Worker's alert channels", () => {
  it("import nothing Node-only (no node: modules, no nodemailer), through every relative import", () => {
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, "utf8");
      for (const match of source.matchAll(/^\s*import\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gm)) {
        const [, typeOnly, specifier = ""] = match;
        if (typeOnly) continue; // erased from the bundle
        if (specifier.startsWith("node:") || specifier === "nodemailer")
          offending.push(`${file}: ${specifier}`);
        else if (specifier.startsWith(".") && specifier.endsWith(".js")) {
          visit(resolvePath(dirname(file), specifier.replace(/\.js$/, ".ts")));
        }
      }
    };
    visit(fileURLToPath(new URL("../../../src/alerts/channels.worker.ts", import.meta.url)));
    expect(offending).toEqual([]);
    expect([...seen].some((f) => f.endsWith("webhook.ts"))).toBe(true);
  });
});
