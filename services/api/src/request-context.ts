import type { Handlers } from '@tally/contract';
import type { AuthContext } from './auth-context.ts';

/** What a handler receives besides its validated input. `auth` is set on every secured operation. */
export type RequestContext = {
  auth: AuthContext;
  requestId: string;
};

/** The handlers of these operations of the spec, as a module provides them. */
export type HandlersOf<Operation extends keyof Handlers<RequestContext>> = Pick<Handlers<RequestContext>, Operation>;
