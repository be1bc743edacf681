import type { AuthContext } from './auth-context.ts';

/** What a handler receives besides its validated input. `auth` is set on every secured operation. */
export type RequestContext = {
  auth: AuthContext;
  requestId: string;
};
