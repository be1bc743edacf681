/** A price has ended once its `end_date` is at or before `now`; one ending later still counts. */
export const notEndedAt = (now: Date) => ({ $or: [{ endDate: null }, { endDate: { $gt: now } }] });

/** Published and not ended at `now`: what "active" means for lookup keys, limits, embedding and unit deletion. */
export const activeAt = (now: Date) => ({ status: 'published', ...notEndedAt(now) });
