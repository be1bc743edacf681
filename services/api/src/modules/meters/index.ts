/** Meters, as other modules may use them. */
import { MeterRepo, type MeterReader } from './meter.repo.ts';

export { MeterService } from './meter.service.ts';
export type { Meter, MeterAggregation, MeterFilter } from './meter.entity.ts';
export type { MeterReader } from './meter.repo.ts';
export { meterFromRequest, parseMeterFilters, toMeterResponse, type MeterResponse, type NewMeter } from './meter.convert.ts';

/** Reads meters inside the caller's unit of work. */
export const meterReader: MeterReader = new MeterRepo();
