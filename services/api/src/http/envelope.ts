import { errorStatus, type ErrorCode } from '../errors/app-error.ts';

/** FlexPrice's error envelope plus the `success`/`error` pair its docs describe: one shape for every failure. */
export type ErrorEnvelope = {
  code: ErrorCode;
  message: string;
  http_status_code: number;
  details?: Record<string, unknown>;
  success: false;
  error: { message: string; internal_error: string };
};

export function envelope(code: ErrorCode, message: string, details?: Record<string, unknown>, status?: number): ErrorEnvelope {
  return {
    code,
    message,
    http_status_code: status ?? errorStatus[code],
    ...(details && Object.keys(details).length ? { details } : {}),
    success: false,
    error: { message, internal_error: '' },
  };
}
