import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

/** JSON logs on stdout; every request line carries its request id. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'tally-api' }, timestamp: pino.stdTimeFunctions.isoTime });
}
export type { Logger };
