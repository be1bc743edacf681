import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { parseExpand } from '../../listing/expand.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { blankProblems, emptyToNull, fromCloneRequest } from '../../wire/request-fields.ts';
import { meterFromRequest, parseMeterFilters, toMeterResponse, type Meter, type MeterFilter, type NewMeter } from '../meters/index.ts';
import { alertSettingsProblems, mergeAlertSettings, parseAlertSettings, type AlertSettings, type AlertSettingsChange } from './alert-settings.ts';
import type { Feature, FeatureType, ReportingUnit } from './feature.entity.ts';
import { featureSearchFields } from './feature.search.ts';

export type FeatureResponse = Schemas['FeatureResponse'];

/** A feature to create, validated. A metered one has exactly one of `meterId` / `meter`. */
export type NewFeature = {
  name: string;
  type: FeatureType;
  lookupKey: string | null;
  description: string | null;
  metadata: Record<string, string>;
  meterId?: string;
  meter?: NewMeter;
  unitSingular: string | null;
  unitPlural: string | null;
  reportingUnit: ReportingUnit | null;
  alertSettings: AlertSettingsChange | null;
};

/** Changes to a feature: `undefined` leaves a field as it is, `null` clears it. */
export type FeatureChanges = {
  name?: string;
  description?: string | null;
  metadata?: Record<string, string>;
  unitSingular?: string | null;
  unitPlural?: string | null;
  reportingUnit?: ReportingUnit;
  alertSettings?: AlertSettingsChange;
  filters?: MeterFilter[];
};

export type FeatureCopy = { name: string; lookupKey: string; description?: string | null; metadata?: Record<string, string> };

/** FlexPrice derives a missing lookup key from the name: lower case, other runs → `_`, trimmed. */
export function lookupKeyFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function parseReportingUnit(body: Schemas['ReportingUnitRequest'], problems: Problems): ReportingUnit {
  if (body.unit_singular.trim() === '') problems['reporting_unit.unit_singular'] = 'must not be blank';
  if (body.unit_plural.trim() === '') problems['reporting_unit.unit_plural'] = 'must not be blank';
  const rate = parseDecimal(body.conversion_rate, { positive: true });
  if ('problem' in rate) problems['reporting_unit.conversion_rate'] = rate.problem;
  return { unit_singular: body.unit_singular, unit_plural: body.unit_plural, conversion_rate: 'value' in rate ? rate.value : '' };
}

/** Unit names come in pairs: both set or both empty. Names the one that is missing. */
export function unitPairProblems(singular: string | null | undefined, plural: string | null | undefined): Problems {
  if (singular && !plural) return { unit_plural: 'is required when unit_singular is set (give both or neither)' };
  if (plural && !singular) return { unit_singular: 'is required when unit_plural is set (give both or neither)' };
  return {};
}

/** Groups are FlexPrice's; Tally has none yet, so only "no group" is accepted. */
function checkGroup(groupId: string | undefined, problems: Problems): void {
  if (groupId) problems.group_id = 'is not supported yet: Tally has no feature groups; leave it empty';
}

export function fromCreateFeatureRequest(body: Schemas['CreateFeatureRequest']): NewFeature {
  const problems = blankProblems({ name: body.name });
  const meterId = body.meter_id || undefined;
  let meter: NewMeter | undefined;
  if (body.type === 'metered') {
    if (meterId === undefined && body.meter === undefined) problems.meter_id = 'or meter is required for a metered feature';
    if (meterId !== undefined && body.meter !== undefined) problems.meter = 'cannot be given with meter_id; give one of them';
    if (body.meter !== undefined) meter = meterFromRequest(body.meter, 'meter', problems);
  } else {
    if (meterId !== undefined) problems.meter_id = `only a metered feature has a meter, not a ${body.type} one`;
    if (body.meter !== undefined) problems.meter = `only a metered feature has a meter, not a ${body.type} one`;
  }
  const unitSingular = body.unit_singular || null;
  const unitPlural = body.unit_plural || null;
  Object.assign(problems, unitPairProblems(unitSingular, unitPlural));
  const reportingUnit = body.reporting_unit ? parseReportingUnit(body.reporting_unit, problems) : null;
  let alertSettings: AlertSettingsChange | null = null;
  if (body.alert_settings) {
    alertSettings = parseAlertSettings(body.alert_settings, 'alert_settings', problems);
    for (const [field, problem] of Object.entries(alertSettingsProblems(mergeAlertSettings(undefined, alertSettings), 'alert_settings'))) {
      problems[field] ??= problem;
    }
  }
  checkGroup(body.group_id, problems);
  throwIfProblems(problems);
  return {
    name: body.name,
    type: body.type,
    lookupKey: body.lookup_key || lookupKeyFromName(body.name) || null,
    description: body.description || null,
    metadata: body.metadata ?? {},
    meterId,
    meter,
    unitSingular,
    unitPlural,
    reportingUnit,
    alertSettings,
  };
}

/** Field-level checks only; rules that need the stored feature (unit pairs, alert levels) are the service's. */
export function fromUpdateFeatureRequest(body: Schemas['UpdateFeatureRequest']): FeatureChanges {
  const problems = blankProblems({ name: body.name });
  const changes: FeatureChanges = {
    name: body.name,
    description: emptyToNull(body.description),
    metadata: body.metadata,
    unitSingular: emptyToNull(body.unit_singular),
    unitPlural: emptyToNull(body.unit_plural),
  };
  if (body.reporting_unit) changes.reportingUnit = parseReportingUnit(body.reporting_unit, problems);
  if (body.alert_settings) changes.alertSettings = parseAlertSettings(body.alert_settings, 'alert_settings', problems);
  if (body.filters) changes.filters = parseMeterFilters(body.filters, 'filters', problems, { uniqueKeys: false });
  checkGroup(body.group_id, problems);
  throwIfProblems(problems);
  return changes;
}

export const fromCloneFeatureRequest = (body: Schemas['CloneFeatureRequest']): FeatureCopy => fromCloneRequest(body);

/** A list or search of features, as the GET list and the search body both express it. */
export type FeatureQuery = ListQuery & {
  featureIds?: string[];
  meterIds?: string[];
  lookupKey?: string;
  lookupKeys?: string[];
  nameContains?: string;
  /** Embed each metered feature's meter (`expand=meters`, the only token features take). */
  expandMeters: boolean;
};

export function fromFeatureListRequest(input: QueryParams<'listFeatures'> | Schemas['FeatureFilter']): FeatureQuery {
  return {
    ...listQueryOf(input, featureSearchFields, 'feature'),
    featureIds: input?.feature_ids,
    meterIds: input?.meter_ids,
    lookupKey: input?.lookup_key,
    lookupKeys: input?.lookup_keys,
    nameContains: input?.name_contains,
    expandMeters: parseExpand(input?.expand, ['meters']).has('meters'),
  };
}

/**
 * Entity → wire. Unset text fields are empty strings and `reporting_unit`, `alert_settings` and
 * `meter` are left out when absent, as FlexPrice sends them.
 */
export function toFeatureResponse(f: Feature, meter?: Meter): FeatureResponse {
  const alerts = f.alertSettings as AlertSettings | null | undefined;
  return {
    id: f.id,
    name: f.name,
    lookup_key: f.lookupKey ?? '',
    description: f.description ?? '',
    meter_id: f.meterId ?? '',
    metadata: f.metadata ?? {},
    type: f.type,
    unit_singular: f.unitSingular ?? '',
    unit_plural: f.unitPlural ?? '',
    ...(f.reportingUnit ? { reporting_unit: { ...f.reportingUnit } } : {}),
    ...(alerts ? { alert_settings: { ...alerts } } : {}),
    ...(meter ? { meter: toMeterResponse(meter) } : {}),
    ...recordFields(f),
  };
}
