/**
 * Runs the real Worker locally: wrangler (from node_modules) and workerd, with D1 persisted in
 * a temporary folder. No Cloudflare account and no network are needed (wrangler falls back to a
 * placeholder `request.cf` when it cannot fetch one).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../support/process.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../../../node_modules/wrangler/bin/wrangler.js", import.meta.url));

const WRANGLER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CI: "true",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
};

function tail(text: string, chars = 4000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

/** Starts wrangler in its own process group, collecting stdout and stderr together. */
function spawnWrangler(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    env: WRANGLER_ENV,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Runs `wrangler <args>` to completion; rejects with its output on failure or timeout. */
export async function wrangler(args: string[], timeoutMs = 60_000): Promise<string> {
  const { child, output } = spawnWrangler(args);
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  if (code !== 0) {
    throw new Error(
      `wrangler ${args.join(" ")} failed (exit ${String(code)}, timeout ${timeoutMs} ms):\n${tail(output())}`,
    );
  }
  return output();
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Signals the child's whole process group (it was spawned detached, so it leads one). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export interface DevServer {
  url: string;
  /** Everything wrangler and the Worker printed so far. */
  output(): string;
  /** Waits until `pattern` shows up in the output. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev --local` on a free port in its own process group (so stop() ends
 * workerd too) and waits until it answers HTTP, at most `readyTimeoutMs`.
 */
export async function startDev(options: {
  persistTo: string;
  vars?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<DevServer> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const { child, output } = spawnWrangler([
    "dev",
    "--local",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    options.persistTo,
    "--show-interactive-dev-session=false",
    "--test-scheduled",
    ...Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ]);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let spawnError: Error | undefined;
  child.on("error", (error) => (spawnError = error));

  const url = `http://127.0.0.1:${port}`;
  const server: DevServer = {
    url,
    output,
    async waitForOutput(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output())) {
        if (Date.now() > deadline)
          throw new Error(
            `no ${String(pattern)} in wrangler's output within ${timeoutMs} ms:\n${tail(output())}`,
          );
        await delay(100);
      }
    },
    async stop() {
      signalGroup(child, "SIGTERM");
      const stopped = await Promise.race([exited.then(() => true), delay(10_000).then(() => false)]);
      // workerd runs in the same process group: make sure none of it is left behind.
      signalGroup(child, "SIGKILL");
      if (!stopped) await Promise.race([exited, delay(5_000)]);
    },
  };

  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `wrangler dev stopped before it answered (${spawnError?.message ?? `exit ${String(child.exitCode ?? child.signalCode)}`}):\n${tail(output())}`,
      );
    }
    try {
      // Any HTTP answer means workerd is serving; the first request also builds the deps.
      await fetch(`${url}/`, { signal: AbortSignal.timeout(30_000) });
      return server;
    } catch {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(
          `wrangler dev did not answer on ${url} within ${readyTimeoutMs} ms:\n${tail(output())}`,
        );
      }
      await delay(250);
    }
  }
}
