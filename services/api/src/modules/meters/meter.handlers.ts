import { listHandler } from '../../listing/list-handler.ts';
import type { HandlersOf } from '../../request-context.ts';
import { messageWhenDone } from '../../wire/message.ts';
import { fromCreateMeterRequest, fromMeterListRequest, fromUpdateMeterRequest, toMeterResponse } from './meter.convert.ts';
import type { MeterService } from './meter.service.ts';

type MeterHandlers = HandlersOf<'createMeter' | 'listMeters' | 'getMeter' | 'updateMeter' | 'disableMeter' | 'deleteMeter'>;

export function meterHandlers(meters: MeterService): MeterHandlers {
  const list = listHandler(meters.list.bind(meters), toMeterResponse);
  return {
    createMeter: async ({ body }, ctx) => toMeterResponse(await meters.create(ctx.auth, fromCreateMeterRequest(body))),
    getMeter: async ({ path }, ctx) => toMeterResponse(await meters.get(ctx.auth, path.id)),
    listMeters: ({ query }, ctx) => list(ctx, fromMeterListRequest(query)),
    updateMeter: async ({ path, body }, ctx) => toMeterResponse(await meters.addFilters(ctx.auth, path.id, fromUpdateMeterRequest(body))),
    disableMeter: ({ path }, ctx) => messageWhenDone(meters.disable(ctx.auth, path.id), 'Meter disabled successfully'),
    deleteMeter: ({ path }, ctx) => messageWhenDone(meters.disable(ctx.auth, path.id), 'Meter deleted successfully'),
  };
}
