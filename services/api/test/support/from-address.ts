import { request } from 'node:http';
import type { ApiResponse } from './api-client.ts';

/**
 * A client whose requests leave from another loopback address (any of 127.0.0.0/8 reaches the
 * server on 127.0.0.1), so tests of per-address limits can stand for several clients.
 */
export function fromAddress(baseUrl: string, localAddress: string) {
  return {
    get(path: string, apiKey?: string): Promise<ApiResponse> {
      return new Promise((resolve, reject) => {
        const req = request(`${baseUrl}${path}`, { localAddress, headers: apiKey ? { 'x-api-key': apiKey } : {} }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    },
  };
}
