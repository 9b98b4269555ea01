// Runs the web app on a port (the launcher's `npm start` and main.ts use it).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientErrorHandler } from '@wor/service-kit';
import { createWebApp, type WebOptions } from './app';
import { notReadablePage } from './layout';

/** A request Node's parser refused (a URL or headers over 16 kB) gets a Dutch page, not a bare status line. */
const refusedPage = clientErrorHandler((status) => ({
  contentType: 'text/html; charset=utf-8',
  body: notReadablePage(
    status === 431 ? 'Het adres of de kopregels van dit verzoek zijn te lang.' : 'Dit verzoek kon niet worden gelezen.',
  ),
}));

export type RunningWeb = Readonly<{ url: string; stop: () => Promise<void> }>;

export const startWeb = async (options: WebOptions & { port?: number; host?: string }): Promise<RunningWeb> => {
  const app = createWebApp(options);
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 3000, host, () => resolve(s));
    s.once('error', reject);
  });
  server.on('clientError', refusedPage);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
