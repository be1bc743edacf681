import type { Handlers } from '@tally/contract';
import type { RequestContext } from '../../request-context.ts';
import type { HealthService } from './health.service.ts';

export function healthHandlers(health: HealthService): Pick<Handlers<RequestContext>, 'getHealth'> {
  return {
    getHealth: async () => {
      await health.check();
      return { status: 'ok' };
    },
  };
}
