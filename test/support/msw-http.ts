/**
 * msw handlers served over real HTTP on 127.0.0.1, for a process msw cannot patch (the Worker in
 * workerd under `wrangler dev`). Each request is handed to msw's `getResponse` with the handlers
 * of the mock module, so the Worker meets the same stand-in as the in-process tests. A request no
 * handler takes is answered 500 and recorded in `unhandled` (msw's strict mode, out of process).
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import { getResponse } from "msw";
import type { HttpHandler } from "msw";

export interface HandlerServer {
  url: string;
  /** `METHOD url` of requests no handler answered. */
  unhandled: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Serves `handlers` on 127.0.0.1:`port`; the handlers must be written for `http://127.0.0.1:<port>`. */
export async function serveHandlers(handlers: HttpHandler[], port: number): Promise<HandlerServer> {
  const url = `http://127.0.0.1:${port}`;
  const unhandled: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? "GET";
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
    const request = new Request(`${url}${req.url ?? "/"}`, {
      method,
      headers,
      ...(body ? { body: new Uint8Array(body) } : {}),
    });
    const response = await getResponse(handlers, request);
    if (!response) {
      unhandled.push(`${method} ${request.url}`);
      res.writeHead(500, { "content-type": "text/plain" }).end("no msw handler for this request");
      return;
    }
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url,
    unhandled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
