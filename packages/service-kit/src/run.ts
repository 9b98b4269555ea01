// Listening and graceful shutdown: stop accepting, let in-flight requests finish, then release
// resources (onShutdown), then exit — in that order, so no request sees a closed pool.
import { once } from 'node:events';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';

export type RunServiceOptions = {
  app: Express;
  /** 0 picks a free port (tests); the actual one is returned. */
  port: number;
  host?: string;
  logger: Logger;
  onShutdown?: () => Promise<void>;
  /** Install SIGTERM/SIGINT handlers that close and then exit the process. */
  handleSignals?: boolean;
  /** After this, connections still open are cut. Default 10 s. */
  shutdownTimeoutMs?: number;
};

export type RunningService = Readonly<{
  url: string;
  port: number;
  server: Server;
  /** Idempotent: resolves once in-flight requests finished and onShutdown ran. */
  close: () => Promise<void>;
}>;

/** What a server answers to a request its HTTP parser refused: the media type and the body. */
export type ClientErrorAnswer = (status: 400 | 431) => Readonly<{ contentType: string; body: string }>;

const problemAnswer: ClientErrorAnswer = (status) => ({
  contentType: 'application/problem+json',
  body: JSON.stringify({
    type: 'about:blank',
    title: STATUS_CODES[status],
    status,
    detail: status === 431 ? 'The request line or headers are too large.' : 'The request could not be parsed.',
  }),
});

/**
 * Requests Node's HTTP parser refuses before express sees them (headers or URL beyond 16 kB, malformed
 * request lines) get an answer like every other refusal (problem+json by default), not Node's bare
 * status line.
 */
export const clientErrorHandler =
  (answer: ClientErrorAnswer = problemAnswer) =>
  (error: NodeJS.ErrnoException, socket: Duplex): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const { contentType, body } = answer(status);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${contentType}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

export const runService = async (options: RunServiceOptions): Promise<RunningService> => {
  const { app, logger } = options;
  const host = options.host ?? '127.0.0.1';
  const server = app.listen(options.port, host);
  server.on('clientError', clientErrorHandler());
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ port, host }, 'listening');

  const stopServer = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        logger.warn('shutdown timeout: closing remaining connections');
        server.closeAllConnections();
      }, options.shutdownTimeoutMs ?? 10_000);
      timer.unref();
      server.close((error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      });
      // Keep-alive connections without a request in flight would hold close() open.
      server.closeIdleConnections();
    });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      removeSignalHandlers();
      logger.info('shutting down: draining in-flight requests');
      await stopServer();
      await options.onShutdown?.();
      logger.info('shut down');
    })());

  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'signal received');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const removeSignalHandlers = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  if (options.handleSignals) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return { url, port, server, close };
};
