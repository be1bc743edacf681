import type { components } from '@tally/contract';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { parseExpand } from '../../listing/expand.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import type { QueryParams } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import type { TaxAssociation, TaxEntityType } from './tax-association.entity.ts';
import { taxAssociationSearchFields } from './tax-association.search.ts';
import type { TaxRate } from './tax-rate.entity.ts';
import { listValues, toTaxRateResponse } from './tax-rate.convert.ts';
import { parseCurrencyCode } from './tax-rate-override.ts';

type CreateRequest = components['schemas']['CreateTaxAssociationRequest'];
type UpdateRequest = components['schemas']['TaxAssociationUpdateRequest'];
export type TaxAssociationResponse = components['schemas']['TaxAssociationResponse'];

/**
 * An association to create, as the request names it: the entity by type and id, or (a customer) by
 * `externalCustomerId`. `startDate` null means now; the service resolves and checks what needs the database.
 */
export type NewTaxAssociation = {
  taxRateCode: string;
  entityType: TaxEntityType;
  entityId: string | null;
  externalCustomerId: string | null;
  priority: number;
  autoApply: boolean;
  currency: string | null;
  startDate: Date | null;
  endDate: Date | null;
  metadata: Record<string, string>;
};

/** Changes to an association: `undefined` leaves a field as it is. */
export type TaxAssociationChanges = { priority?: number; autoApply?: boolean; metadata?: Record<string, string> };

const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);

export function fromCreateTaxAssociationRequest(body: CreateRequest): NewTaxAssociation {
  const problems: Problems = {};
  if (body.tax_rate_code.trim() === '') problems.tax_rate_code = 'must not be blank';
  const externalCustomerId = orNull(body.external_customer_id);
  const entityId = orNull(body.entity_id);
  let entityType = body.entity_type;
  if (externalCustomerId !== null) {
    if (entityType !== undefined && entityType !== 'customer') {
      problems.entity_type = `must be customer (or absent) when external_customer_id is given, got '${entityType}'`;
    }
    entityType = 'customer';
  } else if (entityType === undefined) {
    problems.entity_type = 'is required unless external_customer_id is given';
  } else if (entityType !== 'tenant' && entityId === null) {
    problems.entity_id = `is required for a ${entityType} association${entityType === 'customer' ? ' (or give external_customer_id)' : ''}`;
  }
  const currency = parseCurrencyCode(body.currency, 'currency', problems);
  const startDate = parseDateInput(body.start_date, 'start_date', problems);
  const endDate = parseDateInput(body.end_date, 'end_date', problems);
  if (startDate && endDate && endDate <= startDate) problems.end_date = 'must be after start_date';
  throwIfProblems(problems);
  return {
    taxRateCode: body.tax_rate_code,
    entityType: entityType as TaxEntityType,
    entityId,
    externalCustomerId,
    priority: body.priority ?? 0,
    autoApply: body.auto_apply ?? false,
    currency,
    startDate,
    endDate,
    metadata: body.metadata ?? {},
  };
}

export function fromUpdateTaxAssociationRequest(body: UpdateRequest): TaxAssociationChanges {
  return { priority: body.priority, autoApply: body.auto_apply, metadata: body.metadata };
}

/** A list of tax associations; `externalCustomerId` is resolved to a customer by the service. */
export type TaxAssociationQuery = ListQuery & {
  taxAssociationIds?: string[];
  taxRateIds?: string[];
  entityType?: TaxEntityType;
  entityId?: string;
  externalCustomerId?: string;
  currency?: string;
  autoApply?: boolean;
  /** In effect at some instant of [activeFrom, activeUntil] (either bound alone: from or until it). */
  activeFrom?: Date;
  activeUntil?: Date;
  withTaxRate: boolean;
};

export function fromTaxAssociationListRequest(input: QueryParams<'listTaxAssociations'>): TaxAssociationQuery {
  const problems: Problems = {};
  const expand = parseExpand(input?.expand, ['tax_rate']);
  const ids = listValues(input?.tax_rate_ids);
  const single = listValues(input?.tax_rate_id);
  const taxRateIds = ids === undefined && single === undefined ? undefined : [...(ids ?? []), ...(single ?? [])];
  const activeFrom = parseDateInput(input?.start_date, 'start_date', problems) ?? undefined;
  const activeUntil = parseDateInput(input?.end_date, 'end_date', problems) ?? undefined;
  if (activeFrom && activeUntil && activeFrom > activeUntil) problems.end_date = 'must be on or after start_date';
  const currency = input?.currency === undefined ? undefined : (parseCurrencyCode(input.currency, 'currency', problems) ?? undefined);
  throwIfProblems(problems);
  return {
    ...listQueryOf(input, taxAssociationSearchFields, 'tax association'),
    taxAssociationIds: listValues(input?.tax_association_ids),
    taxRateIds,
    entityType: input?.entity_type,
    entityId: orNull(input?.entity_id) ?? undefined,
    externalCustomerId: orNull(input?.external_customer_id) ?? undefined,
    currency,
    autoApply: input?.auto_apply,
    activeFrom,
    activeUntil,
    withTaxRate: expand.has('tax_rate'),
  };
}

/**
 * Entity → wire, as FlexPrice sends it: no `currency` or `end_date` member when the association has
 * none; `tax_rate` when given (a get, or a list with `expand=tax_rate`).
 */
export function toTaxAssociationResponse(a: TaxAssociation, rate?: TaxRate | null): TaxAssociationResponse {
  return {
    id: a.id,
    tax_rate_id: a.taxRateId,
    entity_type: a.entityType,
    entity_id: a.entityId,
    priority: a.priority,
    auto_apply: a.autoApply,
    ...(a.currency ? { currency: a.currency } : {}),
    start_date: a.startDate.toISOString(),
    ...(a.endDate ? { end_date: a.endDate.toISOString() } : {}),
    metadata: a.metadata ?? {},
    ...recordFields(a),
    ...(rate ? { tax_rate: toTaxRateResponse(rate) } : {}),
  };
}
