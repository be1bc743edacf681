import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, change, newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { AddonReader } from '../addons/index.ts';
import type { CustomerReader } from '../customers/index.ts';
import type { PlanReader } from '../plans/index.ts';
import type { Subscription, SubscriptionReader } from '../subscriptions/index.ts';
import type { CustomerTime } from '../test-clocks/index.ts';
import type { CreditGrantApplication } from './credit-grant-application.entity.ts';
import { CreditGrantApplicationRepo } from './credit-grant-application.repo.ts';
import { GrantApplications, type GrantDeposit } from './credit-grant-applications.ts';
import type { CreditGrantChanges, CreditGrantQuery, NewCreditGrant } from './credit-grant.convert.ts';
import type { CreditGrant } from './credit-grant.entity.ts';
import { CreditGrantRepo } from './credit-grant.repo.ts';

export type CreditGrantFaces = {
  plans: PlanReader;
  addons: AddonReader;
  subscriptions: SubscriptionReader;
  customers: CustomerReader;
  /** "Now" for a customer (its test clock's time when it is on one). */
  time: { nowFor(tx: Tx, auth: AuthContext, customer: string | CustomerTime): Promise<Date> };
  deposit: GrantDeposit;
};

/**
 * Credit grants: PLAN and ADDON templates, SUBSCRIPTION grants and their applications
 * (docs/api/credit-grants.md). The applications' due work is `CreditGrantDueWork`.
 */
export class CreditGrantService {
  readonly #ctx: ServiceContext;
  readonly #faces: CreditGrantFaces;
  readonly #grants = new CreditGrantRepo();
  readonly #applications = new CreditGrantApplicationRepo();
  readonly applier: GrantApplications;

  constructor(ctx: ServiceContext, faces: CreditGrantFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
    this.applier = new GrantApplications(this.#applications, faces.deposit);
  }

  /**
   * Creates a grant. A SUBSCRIPTION grant schedules its first application and, when it is already due
   * and the subscription takes credits, applies it in the same unit of work.
   */
  create(auth: AuthContext, input: NewCreditGrant): Promise<CreditGrant> {
    return this.#ctx.db.run(async (tx) => {
      if (input.planId && !(await this.#faces.plans.get(tx, auth, input.planId))) throw notFound('Plan', 'plan_id', input.planId);
      if (input.addonId && !(await this.#faces.addons.get(tx, auth, input.addonId))) throw notFound('Addon', 'addon_id', input.addonId);
      let sub: Subscription | null = null;
      if (input.subscriptionId) {
        sub = await this.#faces.subscriptions.get(tx, auth, input.subscriptionId);
        if (!sub) throw notFound('Subscription', 'subscription_id', input.subscriptionId);
        if (sub.subscriptionStatus === 'cancelled' || sub.status !== 'published') throw invalidFields({ subscription_id: `names subscription ${sub.id}, which is cancelled` });
        // Periods before the subscription existed are credited to nobody; refusing them also bounds the catch-up a backdated grant asks for.
        if (input.startDate && input.startDate < sub.startDate) throw invalidFields({ start_date: `must not be before the subscription's start_date (${sub.startDate.toISOString()})` });
      }
      const now = sub ? await this.#faces.time.nowFor(tx, auth, sub.customerId) : this.#ctx.clock.now();
      const grant = this.#grants.add(tx, { id: newId('creditGrant'), ...input, ...newRecord(auth, now) });
      if (sub) {
        this.applier.scheduleFirst(tx, auth, grant, sub, now);
        await this.applier.applyDueOf(tx, auth, sub, new Map([[grant.id, grant]]), now);
      }
      return grant;
    });
  }

  /** Any status: a deleted (archived) grant stays readable by id. */
  get(auth: AuthContext, id: string): Promise<CreditGrant> {
    return this.#ctx.db.read((tx) => this.#find(tx, auth, id));
  }

  list(auth: AuthContext, query: CreditGrantQuery): Promise<PageOf<CreditGrant>> {
    return this.#ctx.db.read((tx) => this.#grants.page(tx, auth, query));
  }

  /** The published templates of a plan or an addon (404 for one that does not exist). */
  templatesOf(auth: AuthContext, scope: 'PLAN' | 'ADDON', ownerId: string): Promise<CreditGrant[]> {
    return this.#ctx.db.read(async (tx) => {
      const owner = scope === 'PLAN' ? await this.#faces.plans.get(tx, auth, ownerId) : await this.#faces.addons.get(tx, auth, ownerId);
      if (!owner) throw notFound(scope === 'PLAN' ? 'Plan' : 'Addon', 'id', ownerId);
      return this.#grants.templatesOf(tx, auth, scope, ownerId);
    });
  }

  /** Renames, replaces metadata or (SUBSCRIPTION grants) moves the end; pending applications from a new end on are cancelled. */
  update(auth: AuthContext, id: string, changes: CreditGrantChanges): Promise<CreditGrant> {
    return this.#ctx.db.run(async (tx) => {
      const grant = await this.#find(tx, auth, id);
      const now = await this.#nowOf(tx, auth, grant);
      if (changes.endDate) {
        if (grant.scope !== 'SUBSCRIPTION') throw invalidFields({ end_date: `is not allowed on a ${grant.scope} grant` });
        if (grant.startDate && changes.endDate < grant.startDate) throw invalidFields({ end_date: `must not be before the grant's start_date (${grant.startDate.toISOString()})` });
        if (changes.endDate < now) throw invalidFields({ end_date: `must not be in the past (now is ${now.toISOString()})` });
        await this.#cancelFrom(tx, auth, grant, changes.endDate, now);
      }
      return change(grant, changes, auth, now);
    });
  }

  /**
   * PLAN and ADDON grants are archived (copies already made stay). A SUBSCRIPTION grant ends at
   * `effectiveDate` (now, for its customer) and its pending applications from then on are cancelled.
   */
  delete(auth: AuthContext, id: string, effectiveDate: Date | null): Promise<void> {
    return this.#ctx.db.run(async (tx) => {
      const grant = await this.#find(tx, auth, id);
      if (grant.scope !== 'SUBSCRIPTION') {
        await archive(grant, auth, this.#ctx.clock);
        return;
      }
      const now = await this.#nowOf(tx, auth, grant);
      const end = effectiveDate ?? now;
      await this.#cancelFrom(tx, auth, grant, end, now);
      grant.endDate = end;
      touch(grant, auth, now);
    });
  }

  /** The subscription's applications still to come (404 for one that does not exist). */
  upcomingOfSubscription(auth: AuthContext, subscriptionId: string): Promise<CreditGrantApplication[]> {
    return this.#ctx.db.read(async (tx) => {
      if (!(await this.#faces.subscriptions.get(tx, auth, subscriptionId))) throw notFound('Subscription', 'id', subscriptionId);
      return this.#stillComing(tx, auth, await this.#applications.upcoming(tx, auth, { subscriptionId }));
    });
  }

  /** The customer's applications still to come, over all its subscriptions (404 for a customer that does not exist). */
  upcomingOfCustomer(auth: AuthContext, customerId: string): Promise<CreditGrantApplication[]> {
    return this.#ctx.db.read(async (tx) => {
      if (!(await this.#faces.customers.getMany(tx, auth, [customerId])).has(customerId)) throw notFound('Customer', 'id', customerId);
      return this.#stillComing(tx, auth, await this.#applications.upcoming(tx, auth, { customerId }));
    });
  }

  /**
   * Leaves out the applications whose subscription has been cancelled or ends before their period:
   * they are cancelled when they fall due (the due work), and will not come.
   */
  async #stillComing(tx: Tx, auth: AuthContext, applications: CreditGrantApplication[]): Promise<CreditGrantApplication[]> {
    const subs = new Map<string, Subscription | null>();
    for (const id of new Set(applications.map((a) => a.subscriptionId))) subs.set(id, await this.#faces.subscriptions.get(tx, auth, id));
    return applications.filter((a) => {
      const sub = subs.get(a.subscriptionId);
      return !!sub && sub.status === 'published' && sub.subscriptionStatus !== 'cancelled' && !(sub.endDate && a.periodStart >= sub.endDate);
    });
  }

  /**
   * A subscription start step (a subscription created, or a draft activated, in that unit of work,
   * once it has its status): its plan's grants are copied onto it and what is due is applied now.
   * A draft gets them when it is activated, when its start date is fixed.
   */
  readonly startSubscription = async (tx: Tx, auth: AuthContext, sub: Subscription, at: Date): Promise<void> => {
    await this.#copyPlanGrants(tx, auth, sub, at);
    await this.#applyDue(tx, auth, sub, at);
  };

  /**
   * A plan change step (the subscription on its new plan, in that unit of work): the copies of the old
   * plan's grants end at the change (their applications from then on are cancelled), and the new
   * plan's grants are copied, starting and anchored at the change, with what is due applied now.
   */
  readonly changeSubscriptionPlan = async (tx: Tx, auth: AuthContext, sub: Subscription, change: { fromPlanId: string; at: Date }): Promise<void> => {
    for (const grant of await this.#grants.copiesOfPlan(tx, auth, sub.id, change.fromPlanId)) {
      if (grant.endDate && grant.endDate <= change.at) continue;
      await this.#cancelFrom(tx, auth, grant, change.at, change.at);
      grant.endDate = change.at;
      touch(grant, auth, change.at);
    }
    await this.#copyPlanGrants(tx, auth, sub, change.at, change.at);
    await this.#applyDue(tx, auth, sub, change.at);
  };

  /**
   * An addon attach step (the addon attached to the subscription, in that unit of work): each
   * published ADDON grant of it becomes a SUBSCRIPTION grant (`addon_id` kept as provenance),
   * starting and anchored at the attach date and ending with the attachment (a `onetime` addon's
   * period end), with what is due applied now.
   */
  readonly attachAddon = async (tx: Tx, auth: AuthContext, sub: Subscription, attach: { addonId: string; start: Date; end: Date | null; at: Date }): Promise<void> => {
    for (const template of await this.#grants.templatesOf(tx, auth, 'ADDON', attach.addonId)) {
      this.#copyTemplate(tx, auth, sub, template, { planId: null, addonId: attach.addonId, start: attach.start, end: attach.end }, attach.at);
    }
    await this.#applyDue(tx, auth, sub, attach.at);
  };

  /**
   * An addon removal step: the subscription's copies of the addon's grants end at `effective`, and
   * their applications from then on are cancelled (credits granted already stay).
   */
  readonly removeAddon = async (tx: Tx, auth: AuthContext, sub: Subscription, removal: { addonId: string; effective: Date; at: Date }): Promise<void> => {
    for (const grant of await this.#grants.copiesOfAddon(tx, auth, sub.id, removal.addonId)) {
      if (grant.endDate && grant.endDate <= removal.effective) continue;
      await this.#cancelFrom(tx, auth, grant, removal.effective, removal.at);
      grant.endDate = removal.effective;
      touch(grant, auth, removal.at);
    }
  };

  /** A plan clone step: the source plan's published PLAN grants are copied onto the clone. */
  readonly copyToClonedPlan = async (tx: Tx, auth: AuthContext, clone: { from: { id: string }; to: { id: string }; now: Date }): Promise<void> => {
    for (const template of await this.#grants.templatesOf(tx, auth, 'PLAN', clone.from.id)) {
      this.#grants.addCopy(tx, template, { ...newRecord(auth, clone.now), id: newId('creditGrant'), planId: clone.to.id, metadata: { ...template.metadata } });
    }
  };

  /**
   * Each published grant of the subscription's plan becomes a SUBSCRIPTION grant of it (`plan_id`
   * kept, starting and anchored at `start`: the subscription's start, or its plan change).
   */
  async #copyPlanGrants(tx: Tx, auth: AuthContext, sub: Subscription, at: Date, start: Date = sub.startDate): Promise<void> {
    for (const template of await this.#grants.templatesOf(tx, auth, 'PLAN', sub.planId)) {
      this.#copyTemplate(tx, auth, sub, template, { planId: template.planId ?? null, addonId: null, start, end: null }, at);
    }
  }

  /** A SUBSCRIPTION grant copied from a PLAN or ADDON template, starting and anchored at `start`, with its first application scheduled. */
  #copyTemplate(tx: Tx, auth: AuthContext, sub: Subscription, template: CreditGrant, copy: { planId: string | null; addonId: string | null; start: Date; end: Date | null }, at: Date): void {
    const grant = this.#grants.add(tx, {
      id: newId('creditGrant'),
      name: template.name,
      scope: 'SUBSCRIPTION',
      planId: copy.planId,
      subscriptionId: sub.id,
      addonId: copy.addonId,
      credits: template.credits,
      cadence: template.cadence,
      period: template.period,
      periodCount: template.periodCount,
      expirationType: template.expirationType,
      expirationDuration: template.expirationDuration,
      expirationDurationUnit: template.expirationDurationUnit,
      priority: template.priority,
      startDate: copy.start,
      endDate: copy.end,
      creditGrantAnchor: copy.start,
      conversionRate: template.conversionRate,
      topupConversionRate: template.topupConversionRate,
      metadata: { ...template.metadata },
      ...newRecord(auth, at),
    });
    this.applier.scheduleFirst(tx, auth, grant, sub, at);
  }

  /** The subscription's applications already due are applied now (when its status takes credits). */
  async #applyDue(tx: Tx, auth: AuthContext, sub: Subscription, at: Date): Promise<void> {
    await this.#applications.flush(tx);
    const grants = await this.#grants.getMany(tx, auth, (await this.#applications.dueOf(tx, auth, sub.id, at)).map((a) => a.creditGrantId));
    if (grants.size) await this.applier.applyDueOf(tx, auth, sub, grants, at);
  }

  async #cancelFrom(tx: Tx, auth: AuthContext, grant: CreditGrant, from: Date, now: Date): Promise<void> {
    for (const app of await this.#applications.pendingOf(tx, auth, grant.id, from)) {
      app.applicationStatus = 'cancelled';
      app.failureReason = 'credit_grant_ended';
      touch(app, auth, now);
    }
  }

  /** Now for the grant's subscription's customer; the wall clock for a template. */
  async #nowOf(tx: Tx, auth: AuthContext, grant: CreditGrant): Promise<Date> {
    if (!grant.subscriptionId) return this.#ctx.clock.now();
    const sub = await this.#faces.subscriptions.get(tx, auth, grant.subscriptionId);
    return sub ? this.#faces.time.nowFor(tx, auth, sub.customerId) : this.#ctx.clock.now();
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<CreditGrant> {
    return orNotFound(await this.#grants.get(tx, auth, id), 'Credit grant', 'id', id);
  }
}
