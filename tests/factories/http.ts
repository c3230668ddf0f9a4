import type { AddressInfo } from "node:net";
import type { Server } from "node:http";

/** An express app served on a free port of 127.0.0.1 for a test; `close` ends its connections too. */
export async function listenLocal(app: {
  listen(port: number, host: string, ready: () => void): Server;
}): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
