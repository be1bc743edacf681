import { maxHeaderSize, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { envelope } from './envelope.ts';

type ClientError = Error & { code?: string };

/** What Node's HTTP parser found wrong, as a status and a message a client can act on. */
function answerFor(err: ClientError, maxHeaderBytes: number): { status: number; reason: string; message: string } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        message: `Request headers are too large: together they may hold at most ${maxHeaderBytes} bytes`,
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout', message: 'The request was not received in time' };
    default:
      return { status: 400, reason: 'Bad Request', message: 'Malformed HTTP request' };
  }
}

/**
 * Requests that Node's HTTP parser refuses never reach Koa; by default Node answers them with a
 * bare status line and no body. Here they get the same error envelope as every other failure.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: ClientError, socket: Duplex) => {
    // Nothing to answer on a connection the client already dropped, or one that already has a response.
    if (err.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const { status, reason, message } = answerFor(err, maxHeaderSize);
    const body = JSON.stringify(envelope('validation_error', message, undefined, status));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
