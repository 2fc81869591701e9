/**
 * Stopping the local HTTP server: idle keep-alive connections are closed at once, requests under
 * way get a short grace and are then cut, so a browser tab left open never keeps the process
 * alive.
 */

const CLOSE_GRACE_MS = 2_000;

export interface Closable {
  close(callback: () => void): void;
  closeIdleConnections?(): void;
  closeAllConnections?(): void;
}

export function closeServer(server: Closable): Promise<void> {
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
