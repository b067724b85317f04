import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, freePort, waitFor } from "../../support/process.js";

/**
 * Runs the `start` script of package.json as the process itself (`exec`), the way a container
 * or a process manager runs it, so that SIGTERM reaches the server and its exit code is seen.
 */
const START = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start;

function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn("sh", ["-c", `exec ${START}`], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe("npm start", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-server-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("migrates, loads the demo data, serves it, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = start({ PORT: String(port), DATABASE_URL: `file:${join(dir, "a.db")}` });
    try {
      await waitFor(`${base}/health`, 60_000, server.child, server.output);
      const health = (await (await fetch(`${base}/health`)).json()) as {
        status: string;
        store: { tenders: number };
      };
      expect(health.status).toBe("ok");
      expect(health.store.tenders).toBeGreaterThan(5);
      const list = (await (await fetch(`${base}/api/tenders?stage=planned`)).json()) as { total: number };
      expect(list.total).toBeGreaterThan(3);
      const enterprises = (await (await fetch(`${base}/api/enterprises?q=special%20minds`)).json()) as {
        items: { id: string }[];
      };
      expect(enterprises.items.map((e) => e.id)).toContain("special-minds");
      expect((await fetch(`${base}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    } finally {
      server.child.kill("SIGTERM");
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"message":"stopped"');
  }, 180_000);

  it("keeps the data across restarts without loading the demo twice, and DEMO_DATA=false starts empty", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const again = start({ PORT: String(port), DATABASE_URL: `file:${join(dir, "a.db")}` });
    let total = 0;
    try {
      await waitFor(`${base}/health`, 60_000, again.child, again.output);
      total = ((await (await fetch(`${base}/health`)).json()) as { store: { tenders: number } }).store
        .tenders;
    } finally {
      again.child.kill("SIGTERM");
    }
    expect(await again.exited).toBe(0);
    expect(again.output()).not.toContain("demo data loaded");
    expect(total).toBeGreaterThan(5);

    const empty = start({
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, "b.db")}`,
      DEMO_DATA: "false",
    });
    try {
      await waitFor(`${base}/health`, 60_000, empty.child, empty.output);
      const health = (await (await fetch(`${base}/health`)).json()) as {
        store: { tenders: number; enterprises: number };
      };
      expect(health.store).toMatchObject({ tenders: 0, enterprises: 0 });
      const buyers = (await (await fetch(`${base}/api/buyers?country=DK`)).json()) as { total: number };
      expect(buyers.total).toBe(98);
    } finally {
      empty.child.kill("SIGTERM");
    }
    expect(await empty.exited).toBe(0);
  }, 180_000);

  it("refuses to start with a bad configuration, naming the variable", async () => {
    const bad = start({ PORT: "not-a-port", DATABASE_URL: `file:${join(dir, "c.db")}` });
    expect(await bad.exited).not.toBe(0);
    expect(bad.output()).toContain("PORT");
  });
});
