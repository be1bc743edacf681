import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { orNotFound } from '../../errors/not-found.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { Addon, AddonReader } from '../addons/index.ts';
import type { Plan, PlanCopy, PlanReader, PlanService } from '../plans/index.ts';
import { ContentsLoader, fullContents, type ContentsRequest, type ContentsSources } from './catalog-contents.ts';
import type { AddonListQuery, AddonView, PlanListQuery, PlanView } from './catalog.convert.ts';

/** Where the catalogue is read from: plans and addons, and the modules that own what they sell and grant. */
export type CatalogServiceFaces = ContentsSources & { plans: PlanReader; addons: AddonReader; planService: PlanService };

/**
 * The catalogue as FlexPrice shows it: plans and addons with the prices and entitlements they hold,
 * each read in one unit of work. Plans and addons are written by their own modules.
 */
export class CatalogService {
  readonly #ctx: ServiceContext;
  readonly #faces: CatalogServiceFaces;
  readonly #contents: ContentsLoader;

  constructor(ctx: ServiceContext, faces: CatalogServiceFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
    this.#contents = new ContentsLoader(faces);
  }

  /** Any status (an archived plan stays readable), with every published price — ended ones too — and entitlement. */
  plan(auth: AuthContext, id: string): Promise<PlanView> {
    return this.#ctx.db.read(async (tx) => {
      const plan = orNotFound(await this.#faces.plans.get(tx, auth, id), 'Plan', 'id', id);
      return (await this.#plansWith(tx, auth, [plan], fullContents(true), this.#ctx.clock.now()))[0];
    });
  }

  plans(auth: AuthContext, query: PlanListQuery): Promise<PageOf<PlanView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#faces.plans.page(tx, auth, query);
      return { items: await this.#plansWith(tx, auth, items, query.contents, this.#ctx.clock.now()), total };
    });
  }

  /** The plan's clone (see PlanService.clone) with the prices and entitlements copied into it. */
  clonePlan(auth: AuthContext, id: string, copy: PlanCopy): Promise<PlanView> {
    return this.#ctx.db.run(async (tx) => {
      const plan = await this.#faces.planService.clone(auth, id, copy);
      // The clone's instant: its copies are the prices that had not ended then.
      return (await this.#plansWith(tx, auth, [plan], fullContents(false), plan.createdAt))[0];
    });
  }

  /** Any status (an archived addon stays readable by id), with its published, not yet ended prices and its entitlements. */
  addon(auth: AuthContext, id: string): Promise<AddonView> {
    return this.#ctx.db.read(async (tx) => {
      const addon = orNotFound(await this.#faces.addons.get(tx, auth, id), 'Addon', 'id', id);
      return (await this.#addonsWith(tx, auth, [addon], fullContents(false)))[0];
    });
  }

  /** Only a published addon: an archived one's key may since belong to another. */
  addonByLookupKey(auth: AuthContext, lookupKey: string): Promise<AddonView> {
    return this.#ctx.db.read(async (tx) => {
      const addon = orNotFound(await this.#faces.addons.getPublished(tx, auth, { lookupKey }), 'Addon', 'lookup_key', lookupKey);
      return (await this.#addonsWith(tx, auth, [addon], fullContents(false)))[0];
    });
  }

  addons(auth: AuthContext, query: AddonListQuery): Promise<PageOf<AddonView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#faces.addons.page(tx, auth, query);
      return { items: await this.#addonsWith(tx, auth, items, query.contents), total };
    });
  }

  /** Plans by id (any status) with the contents asked for, read in the caller's unit of work: for the responses that embed a plan (a subscription's). */
  async plansById(tx: Tx, auth: AuthContext, ids: string[], request: ContentsRequest, at: Date): Promise<Map<string, PlanView>> {
    const plans = [...(await this.#faces.plans.getMany(tx, auth, ids)).values()];
    return new Map((await this.#plansWith(tx, auth, plans, request, at)).map((v) => [v.plan.id, v]));
  }

  async #plansWith(tx: Tx, auth: AuthContext, plans: Plan[], request: ContentsRequest, at: Date): Promise<PlanView[]> {
    const contents = await this.#contents.load(tx, auth, 'PLAN', plans.map((p) => p.id), request, at);
    return plans.map((plan) => ({ plan, contents: contents.get(plan.id) }));
  }

  async #addonsWith(tx: Tx, auth: AuthContext, addons: Addon[], request: ContentsRequest): Promise<AddonView[]> {
    const contents = await this.#contents.load(tx, auth, 'ADDON', addons.map((a) => a.id), request, this.#ctx.clock.now());
    return addons.map((addon) => ({ addon, contents: contents.get(addon.id) }));
  }
}
