/** The object without its `undefined` members: what a response leaves out rather than sends as null. */
export const withoutUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
