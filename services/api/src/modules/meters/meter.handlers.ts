import type { Handlers } from '@tally/contract';
import { pageOf, paginationOf } from '../../listing/pagination.ts';
import { sortParam } from '../../listing/sort-param.ts';
import type { RequestContext } from '../../request-context.ts';
import { parseCreateMeter, parseUpdateMeter } from './meter.convert.ts';
import { toApiMeter } from './meter.mapper.ts';
import { meterSearchFields } from './meter.search.ts';
import type { MeterService } from './meter.service.ts';

type MeterHandlers = Pick<Handlers<RequestContext>, 'createMeter' | 'listMeters' | 'getMeter' | 'updateMeter' | 'disableMeter' | 'deleteMeter'>;

/** Meter operations: map the wire to the service's inputs and back; nothing else. */
export function meterHandlers(meters: MeterService): MeterHandlers {
  return {
    createMeter: async ({ body }, ctx) => toApiMeter(await meters.create(ctx.auth, parseCreateMeter(body))),
    getMeter: async ({ path }, ctx) => toApiMeter(await meters.get(ctx.auth, path.id)),
    listMeters: async ({ query }, ctx) => {
      const page = pageOf(query ?? {});
      const { items, total } = await meters.list(ctx.auth, {
        page,
        status: query?.status,
        order: query?.order,
        sort: sortParam(query?.sort, query?.order, meterSearchFields, 'meter'),
        eventName: query?.event_name,
        meterIds: query?.meter_ids,
        startTime: query?.start_time,
        endTime: query?.end_time,
      });
      return { items: items.map(toApiMeter), pagination: paginationOf(total, page) };
    },
    updateMeter: async ({ path, body }, ctx) => toApiMeter(await meters.addFilters(ctx.auth, path.id, parseUpdateMeter(body))),
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
