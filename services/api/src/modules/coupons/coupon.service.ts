import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, change, newRecord } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import { normalizeCouponCode, type CouponChanges, type CouponQuery, type NewCoupon } from './coupon.convert.ts';
import type { Coupon } from './coupon.entity.ts';
import { CouponRepo } from './coupon.repo.ts';

const codeTaken = (couponCode: string) =>
  new AppError('already_exists', 'A published coupon with this code already exists in this environment', { coupon_code: couponCode });

export class CouponService {
  readonly #ctx: ServiceContext;
  readonly #repo = new CouponRepo();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /** A unique-index race on the code (two creates at once) surfaces as 409, not 500. */
  create(auth: AuthContext, input: NewCoupon): Promise<Coupon> {
    return this.#ctx.db.run(async (tx) => {
      if (input.couponCode !== null && (await this.#repo.isTaken(tx, auth, { couponCode: input.couponCode }))) throw codeTaken(input.couponCode);
      return this.#repo.add(tx, { id: newId('coupon'), ...input, totalRedemptions: 0, ...newRecord(auth, this.#ctx.clock.now()) });
    }, () => codeTaken(input.couponCode ?? ''));
  }

  /** Any status: a deleted (archived) coupon stays readable by id, as in FlexPrice. */
  get(auth: AuthContext, id: string): Promise<Coupon> {
    return this.#ctx.db.read((tx) => this.#find(tx, auth, id));
  }

  /** The published coupon with this code, compared trimmed and case-insensitively. */
  async getByCode(auth: AuthContext, code: string): Promise<Coupon> {
    const couponCode = normalizeCouponCode(code);
    if (couponCode === null) throw invalidFields({ code: 'must not be blank' });
    const coupon = await this.#ctx.db.read((tx) => this.#repo.getPublished(tx, auth, { couponCode }));
    if (!coupon) throw new AppError('not_found', `Coupon with code '${code}' was not found`, { coupon_code: code });
    return coupon;
  }

  list(auth: AuthContext, query: CouponQuery): Promise<PageOf<Coupon>> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth, query));
  }

  update(auth: AuthContext, id: string, changes: CouponChanges): Promise<Coupon> {
    return this.#ctx.db.run(async (tx) => change(await this.#find(tx, auth, id), changes, auth, this.#ctx.clock.now()));
  }

  /** Archives the coupon, which frees its code. Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => archive(await this.#find(tx, auth, id), auth, this.#ctx.clock));
  }

  /**
   * Redeems the coupon with this code for a subscription, in the caller's unit of work: it must be
   * published, inside its redeem window at `at`, under `max_redemptions`, and a fixed coupon must be in
   * `currency` (400 naming `field` otherwise). Counts the redemption.
   */
  async redeem(tx: Tx, auth: AuthContext, code: string, req: { currency: string; at: Date; field: string }): Promise<Coupon> {
    const couponCode = normalizeCouponCode(code);
    const coupon = couponCode === null ? null : await this.#repo.getPublished(tx, auth, { couponCode });
    const refuse = (why: string) => invalidFields({ [req.field]: why });
    if (!coupon) throw refuse(`names no published coupon ('${code}')`);
    if (coupon.redeemAfter && req.at < coupon.redeemAfter) throw refuse(`coupon ${coupon.id} cannot be redeemed before ${coupon.redeemAfter.toISOString()}`);
    if (coupon.redeemBefore && req.at > coupon.redeemBefore) throw refuse(`coupon ${coupon.id} could be redeemed only until ${coupon.redeemBefore.toISOString()}`);
    if (coupon.maxRedemptions !== null && coupon.maxRedemptions !== undefined && coupon.totalRedemptions >= coupon.maxRedemptions) {
      throw refuse(`coupon ${coupon.id} has been redeemed its maximum ${coupon.maxRedemptions} times`);
    }
    if (coupon.type === 'fixed' && coupon.currency && coupon.currency !== req.currency) throw refuse(`coupon ${coupon.id} is in ${coupon.currency}, not ${req.currency}`);
    coupon.totalRedemptions += 1;
    return coupon;
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Coupon> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Coupon', 'id', id);
  }
}
