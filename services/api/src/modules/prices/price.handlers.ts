import type { components, Handlers } from '@tally/contract';
import type { TierBreakdown } from '../../billing/pricing/index.ts';
import { invalidFields } from '../../errors/app-error.ts';
import { pageOf, paginationOf } from '../../listing/pagination.ts';
import { sortParam } from '../../listing/sort-param.ts';
import type { RequestContext } from '../../request-context.ts';
import { parseCreatePriceUnit, parseUpdatePriceUnit } from '../price-units/price-unit.convert.ts';
import { canonicalDecimal, toPriceUnitResponse } from '../price-units/price-unit.mapper.ts';
import { priceUnitSearchFields } from '../price-units/price-unit.search.ts';
import type { PriceUnitQuery, PriceUnitService } from '../price-units/price-unit.service.ts';
import { parseCreatePrice, parseEndDate, parseQuantities, parseUpdatePrice, type Errors } from './price.convert.ts';
import { displayAmount, toPriceResponse } from './price.mapper.ts';
import { priceSearchFields } from './price.search.ts';
import type { PriceCostView, PriceQuery, PriceService, PriceView } from './price.service.ts';

type PriceHandlers = Pick<
  Handlers<RequestContext>,
  | 'createPrice'
  | 'listPrices'
  | 'createPricesBulk'
  | 'getPriceByLookupKey'
  | 'queryPrice'
  | 'createPriceUnit'
  | 'listPriceUnits'
  | 'getPriceUnitByCode'
  | 'queryPriceUnit'
  | 'getPriceUnit'
  | 'updatePriceUnit'
  | 'deletePriceUnit'
  | 'getPrice'
  | 'updatePrice'
  | 'deletePrice'
  | 'getPriceCost'
>;
type PriceCostResponse = components['schemas']['PriceCostResponse'];

const expandable = ['meters', 'priceunit'];

/** FlexPrice's `expand` comma list; prices expand `meters` and `priceunit` in Tally. */
function expands(expand: string | undefined): { expandMeters: boolean; expandPriceUnits: boolean } {
  const tokens = (expand ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = tokens.filter((t) => !expandable.includes(t));
  if (unknown.length) throw invalidFields({ expand: `cannot expand ${unknown.map((t) => `'${t}'`).join(', ')}; allowed: ${expandable.join(', ')}` });
  return { expandMeters: tokens.includes('meters'), expandPriceUnits: tokens.includes('priceunit') };
}

const toApi = (v: PriceView) => toPriceResponse(v.price, { meter: v.meter, priceUnit: v.priceUnit });

const tierOf = (t: TierBreakdown) => ({
  tier_index: t.tierIndex,
  from: t.from,
  ...(t.to === null ? {} : { up_to: t.to }),
  quantity: t.quantity,
  unit_amount: t.unitAmount,
  flat_amount: t.flatAmount,
  amount: t.amount,
});

function toCostResponse(view: PriceCostView): PriceCostResponse {
  const { price } = view;
  const custom = price.priceUnitType === 'CUSTOM';
  if (view.kind === 'buckets') {
    return {
      price_id: price.id,
      currency: price.currency,
      billing_model: price.billingModel,
      ...(price.tierMode && price.billingModel === 'TIERED' ? { tier_mode: price.tierMode } : {}),
      quantity: view.quantity,
      amount: view.cost.amount,
      exact_amount: view.cost.exactAmount,
      display_amount: displayAmount(price.currency, view.cost.amount),
      breakdown: [],
      buckets: view.cost.buckets.map((b) => ({ quantity: b.quantity, amount: b.exactAmount })),
      ...(custom && view.unitCost
        ? { price_unit: price.priceUnit ?? '', conversion_rate: canonicalDecimal(price.conversionRate ?? '0'), price_unit_amount: view.unitCost.exactAmount }
        : {}),
    };
  }
  const cost = view.cost;
  return {
    price_id: price.id,
    currency: cost.currency,
    billing_model: cost.billingModel,
    ...(cost.tierMode ? { tier_mode: cost.tierMode } : {}),
    quantity: cost.quantity,
    amount: cost.amount,
    exact_amount: cost.exactAmount,
    display_amount: displayAmount(cost.currency, cost.amount),
    breakdown: cost.tiers.map(tierOf),
    ...(cost.packages ? { packages: { divide_by: cost.packages.divideBy, round: cost.packages.round, packages: cost.packages.packages } } : {}),
    ...('priceUnitAmount' in cost ? { price_unit: cost.priceUnit, conversion_rate: cost.conversionRate, price_unit_amount: cost.priceUnitAmount } : {}),
  };
}

/** Price and price-unit operations: map the wire to the services' inputs and back; nothing else. */
export function priceHandlers(prices: PriceService, units: PriceUnitService): PriceHandlers {
  const list = async (ctx: RequestContext, query: PriceQuery) => {
    const { items, total } = await prices.list(ctx.auth, query);
    return { items: items.map(toApi), pagination: paginationOf(total, query.page) };
  };
  const listUnits = async (ctx: RequestContext, query: PriceUnitQuery) => {
    const { items, total } = await units.list(ctx.auth, query);
    return { items: items.map(toPriceUnitResponse), pagination: paginationOf(total, query.page) };
  };
  return {
    createPrice: async ({ body }, ctx) => {
      const { price, errors } = parseCreatePrice(body);
      if (Object.keys(errors).length) throw invalidFields(errors);
      return toApi(await prices.create(ctx.auth, price));
    },
    createPricesBulk: async ({ body }, ctx) => {
      const errors: Errors = {};
      const inputs = body.items.map((item, i) => {
        const parsed = parseCreatePrice(item, `items[${i}].`);
        Object.assign(errors, parsed.errors);
        return parsed.price;
      });
      if (Object.keys(errors).length) throw invalidFields(errors);
      return { items: (await prices.createBulk(ctx.auth, inputs)).map(toApi) };
    },
    getPrice: async ({ path }, ctx) => toApi(await prices.get(ctx.auth, path.id)),
    getPriceByLookupKey: async ({ path }, ctx) => toApi(await prices.getByLookupKey(ctx.auth, path.lookup_key)),
    updatePrice: async ({ path, body }, ctx) => toApi(await prices.update(ctx.auth, path.id, parseUpdatePrice(body))),
    deletePrice: async ({ path, body }, ctx) => {
      await prices.delete(ctx.auth, path.id, parseEndDate(body));
      return { message: 'price deleted successfully' };
    },
    getPriceCost: async ({ path, body }, ctx) => toCostResponse(await prices.cost(ctx.auth, path.id, parseQuantities(body))),
    listPrices: async ({ query }, ctx) =>
      list(ctx, {
        page: pageOf(query ?? {}),
        status: query?.status,
        order: query?.order,
        sort: sortParam(query?.sort, query?.order, priceSearchFields, 'price'),
        priceIds: query?.price_ids,
        billingPeriods: query?.billing_periods,
        planIds: query?.plan_ids,
        entityType: query?.entity_type,
        entityIds: query?.entity_ids,
        meterIds: query?.meter_ids,
        parentPriceId: query?.parent_price_id,
        allowExpiredPrices: query?.allow_expired_prices,
        startDateLt: query?.start_date_lt,
        startTime: query?.start_time,
        endTime: query?.end_time,
        ...expands(query?.expand),
      }),
    queryPrice: async ({ body }, ctx) =>
      list(ctx, {
        page: pageOf(body),
        status: body.status,
        order: body.order,
        sort: sortParam(body.sort || undefined, body.order, priceSearchFields, 'price'),
        filters: body.filters,
        priceIds: body.price_ids,
        billingPeriods: body.billing_periods,
        planIds: body.plan_ids,
        entityType: body.entity_type,
        entityIds: body.entity_ids,
        meterIds: body.meter_ids,
        parentPriceId: body.parent_price_id,
        subscriptionId: body.subscription_id,
        allowExpiredPrices: body.allow_expired_prices,
        startDateLt: body.start_date_lt,
        startTime: body.start_time,
        endTime: body.end_time,
        ...expands(body.expand),
      }),
    createPriceUnit: async ({ body }, ctx) => toPriceUnitResponse(await units.create(ctx.auth, parseCreatePriceUnit(body))),
    getPriceUnit: async ({ path }, ctx) => toPriceUnitResponse(await units.get(ctx.auth, path.id)),
    getPriceUnitByCode: async ({ path }, ctx) => toPriceUnitResponse(await units.getByCode(ctx.auth, path.code)),
    updatePriceUnit: async ({ path, body }, ctx) => toPriceUnitResponse(await units.update(ctx.auth, path.id, parseUpdatePriceUnit(body))),
    deletePriceUnit: async ({ path }, ctx) => {
      await units.delete(ctx.auth, path.id);
      return { message: 'Price unit deleted successfully' };
    },
    listPriceUnits: async ({ query }, ctx) =>
      listUnits(ctx, {
        page: pageOf(query ?? {}),
        status: query?.status,
        order: query?.order,
        sort: sortParam(query?.sort, query?.order, priceUnitSearchFields, 'price unit'),
      }),
    queryPriceUnit: async ({ body }, ctx) => {
      if (body.expand?.trim()) throw invalidFields({ expand: 'price units have nothing to expand' });
      return listUnits(ctx, {
        page: pageOf(body),
        status: body.status,
        order: body.order,
        sort: body.sort,
        filters: body.filters,
        priceUnitIds: body.price_unit_ids,
        startTime: body.start_time,
        endTime: body.end_time,
      });
    },
  };
}
