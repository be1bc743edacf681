import type { MikroORM } from '@mikro-orm/core';
import type { Handlers } from '@tally/contract';
import { AppError } from '../../errors/app-error.ts';
import type { RequestContext } from '../../request-context.ts';

export function healthHandlers(orm: MikroORM): Pick<Handlers<RequestContext>, 'getHealth'> {
  return {
    getHealth: async () => {
      try {
        await orm.em.getConnection().execute('select 1');
      } catch {
        throw new AppError('service_unavailable', 'The database does not answer');
      }
      return { status: 'ok' };
    },
  };
}
