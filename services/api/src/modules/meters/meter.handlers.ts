import type { Handlers } from '@tally/contract';
import { listResponse } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import { fromCreateMeterRequest, fromMeterListRequest, fromUpdateMeterRequest, toMeterResponse } from './meter.convert.ts';
import type { MeterService } from './meter.service.ts';

type MeterHandlers = Pick<Handlers<RequestContext>, 'createMeter' | 'listMeters' | 'getMeter' | 'updateMeter' | 'disableMeter' | 'deleteMeter'>;

export function meterHandlers(meters: MeterService): MeterHandlers {
  return {
    createMeter: async ({ body }, ctx) => toMeterResponse(await meters.create(ctx.auth, fromCreateMeterRequest(body))),
    getMeter: async ({ path }, ctx) => toMeterResponse(await meters.get(ctx.auth, path.id)),
    listMeters: async ({ query }, ctx) => {
      const list = fromMeterListRequest(query);
      return listResponse(await meters.list(ctx.auth, list), list.page, toMeterResponse);
    },
    updateMeter: async ({ path, body }, ctx) => toMeterResponse(await meters.addFilters(ctx.auth, path.id, fromUpdateMeterRequest(body))),
    disableMeter: async ({ path }, ctx) => {
      await meters.disable(ctx.auth, path.id);
      return { message: 'Meter disabled successfully' };
    },
    deleteMeter: async ({ path }, ctx) => {
      await meters.disable(ctx.auth, path.id);
      return { message: 'Meter deleted successfully' };
    },
  };
}
