import type { HandlersOf } from '../../request-context.ts';
import type { HealthService } from './health.service.ts';

export function healthHandlers(health: HealthService): HandlersOf<'getHealth'> {
  return {
    getHealth: async () => {
      await health.check();
      return { status: 'ok' };
    },
  };
}
