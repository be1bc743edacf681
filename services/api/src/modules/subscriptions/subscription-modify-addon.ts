import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerTime } from '../invoices/index.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { record } from '../webhooks/index.ts';
import { AddonAssociationRepo } from './addon-association.repo.ts';
import { readAddonAttachment, type AddonAttachmentBody, type AddonRemoval, type NewAddonAttachment } from './addon-attachment.ts';
import type { SubscriptionAddons } from './subscription-addons.ts';
import type { ChangedInvoice, ChangedLineItem, ModifyResult } from './subscription-modify.convert.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import { fullEmbeds } from './subscription.convert.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

/** Modify `type: addon`: attach (`add`) or remove (`remove`) an addon, as the addon routes do. */
export type AddonModification = { action: 'add'; attachment: NewAddonAttachment } | { action: 'remove'; removal: AddonRemoval };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): v is T => typeof v === 'string' && (allowed as readonly string[]).includes(v);

/**
 * `addon_params` `{action*: add|remove, add: AddAddonToSubscriptionRequest, remove: RemoveAddonRequest}`,
 * read by hand: the spec leaves the object open (FlexPrice's SDKs send it as they type it). Problems are
 * named `addon_params.<field>`.
 */
export function fromAddonParams(body: Schemas['ExecuteSubscriptionModifyRequest']): AddonModification {
  const errors: Problems = {};
  if (body.checkout !== undefined) errors.checkout = 'is not supported by Tally (no hosted checkout)';
  const params = body.addon_params;
  if (!isObject(params)) throwIfProblems({ ...errors, addon_params: 'is required for type addon' });
  const p = params as Record<string, unknown>;
  if (!oneOf(p.action, ['add', 'remove'] as const)) throwIfProblems({ ...errors, 'addon_params.action': 'must be add or remove' });
  const f = (field: string) => `addon_params.${p.action}.${field}`;
  const given = p[p.action as string];
  if (!isObject(given)) throwIfProblems({ ...errors, [`addon_params.${p.action}`]: `is required for action ${p.action}` });
  const g = given as Record<string, unknown>;
  const text = (field: string, required: boolean): string | undefined => {
    const v = g[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || (required && !v)) errors[f(field)] = required ? 'is required (a string)' : 'must be a string';
    return typeof v === 'string' ? v : undefined;
  };
  if (g.proration_behavior !== undefined && !oneOf(g.proration_behavior, ['create_prorations', 'none'] as const)) errors[f('proration_behavior')] = 'must be create_prorations or none';
  if (p.action === 'add') {
    const addonId = text('addon_id', true);
    if (g.cadence !== undefined && !oneOf(g.cadence, ['onetime', 'recurring'] as const)) errors[f('cadence')] = 'must be onetime or recurring';
    const startDate = text('start_date', false);
    if (g.metadata !== undefined && !isObject(g.metadata)) errors[f('metadata')] = 'must be an object';
    throwIfProblems(errors);
    const attachment = readAddonAttachment({ ...(g as AddonAttachmentBody), addon_id: addonId!, start_date: startDate }, 'addon_params.add.', errors);
    throwIfProblems(errors);
    return { action: 'add', attachment };
  }
  const associationId = text('addon_association_id', true);
  const reason = text('reason', false);
  const effectiveDate = parseDateInput(text('effective_date', false), f('effective_date'), errors);
  throwIfProblems(errors);
  return { action: 'remove', removal: { associationId: associationId!, reason: reason || null, prorationBehavior: (g.proration_behavior as AddonRemoval['prorationBehavior']) ?? 'none', effectiveDate } };
}

export type AddonModificationFaces = { addons: SubscriptionAddons; repo: SubscriptionRepo; reads: SubscriptionReads; time: CustomerTime };

/**
 * `POST /subscriptions/{id}/modify/preview|execute` with `type: addon` (docs/api/subscriptions.md#addons-on-subscriptions):
 * the attach and removal use cases of the addon routes, on the subscription of the path. A preview is
 * the execution in a unit of work that is rolled back, as for the other modification types.
 */
export class AddonModifications {
  readonly #ctx: ServiceContext;
  readonly #faces: AddonModificationFaces;
  readonly #associations = new AddonAssociationRepo();

  constructor(ctx: ServiceContext, faces: AddonModificationFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  execute(auth: AuthContext, id: string, m: AddonModification): Promise<ModifyResult> {
    return this.#ctx.db.run((tx) => this.#apply(tx, auth, id, m, false));
  }

  preview(auth: AuthContext, id: string, m: AddonModification): Promise<ModifyResult> {
    return this.#ctx.db.preview((tx) => this.#apply(tx, auth, id, m, true));
  }

  async #apply(tx: Tx, auth: AuthContext, id: string, m: AddonModification, preview: boolean): Promise<ModifyResult> {
    const sub = orNotFound(await this.#faces.repo.locked(tx, auth, id), 'Subscription', 'id', id);
    const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
    const lineItems: ChangedLineItem[] = [];
    const invoices: ChangedInvoice[] = [];
    if (m.action === 'add') {
      const made = await this.#faces.addons.attachIn(tx, auth, sub, m.attachment, now, 'addon_params.add.');
      for (const l of made.lineItems) lineItems.push({ id: l.id, priceId: l.priceId, quantity: l.quantity, startDate: l.startDate, endDate: l.endDate ?? null, action: 'created' });
      if (made.invoice) invoices.push({ kind: 'invoice', invoice: made.invoice });
    } else {
      const field = 'addon_params.remove.addon_association_id';
      const association = await this.#associations.fresh(tx, auth, m.removal.associationId);
      if (!association || association.status !== 'published') throw notFound('Addon association', field, m.removal.associationId);
      if (association.entityId !== sub.id) throw invalidFields({ [field]: `names an addon association of another subscription, not ${sub.id}` });
      const removed = await this.#faces.addons.removeIn(tx, auth, sub, association, m.removal, now, 'addon_params.remove.');
      for (const { item, endedAt } of removed.ended) lineItems.push({ id: item.id, priceId: item.priceId, quantity: item.quantity, startDate: item.startDate, endDate: endedAt, action: 'ended' });
      if (removed.credit) invoices.push({ kind: 'wallet_credit', transactionId: removed.credit.transactionId, amount: removed.credit.amount });
    }
    sub.version += 1;
    touch(sub, auth, now);
    await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
    await this.#faces.repo.flush(tx);
    const [view] = await this.#faces.reads.views(tx, auth, [sub], fullEmbeds);
    return { subscription: view!, lineItems, invoices, preview };
  }
}
