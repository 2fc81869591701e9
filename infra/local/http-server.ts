/**
 * The local HTTP server on 127.0.0.1, and its stop: idle keep-alive connections are closed at
 * once, requests under way get a short grace and are then cut, so a browser tab left open never
 * keeps the process alive.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { LocalStackError } from "./errors.ts";

const CLOSE_GRACE_MS = 2_000;

type Fetch = Parameters<typeof serve>[0]["fetch"];

export interface LocalHttpServer {
  port: number;
  close(): Promise<void>;
}

interface Closable {
  close(callback: () => void): void;
  closeIdleConnections?(): void;
  closeAllConnections?(): void;
}

export function listenLocal(fetch: Fetch, port: number): Promise<LocalHttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ port: info.port, close: () => closeServer(server as unknown as Closable) }),
    );
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new LocalStackError(
              `Port ${port} is in use. Stop what runs there, or start with --port <another port>.`,
            )
          : error,
      ),
    );
  });
}

function closeServer(server: Closable): Promise<void> {
  return new Promise<void>((done) => {
    const cut = setTimeout(() => server.closeAllConnections?.(), CLOSE_GRACE_MS);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      done();
    });
    server.closeIdleConnections?.();
  });
}
