import type { operations } from './generated/types.ts';

type OperationKey = keyof operations;
type JsonContent<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
type Defined<T> = [T] extends [never] ? undefined : T extends undefined ? undefined : T;

/** Path parameters of an operation, already validated. */
export type PathOf<K extends OperationKey> = Defined<NonNullable<operations[K]['parameters']['path']>>;
/** Query parameters of an operation, validated and coerced to their schema types. */
export type QueryOf<K extends OperationKey> = Defined<NonNullable<operations[K]['parameters']['query']>>;
/** The JSON request body of an operation, validated against its schema. */
export type BodyOf<K extends OperationKey> = operations[K] extends { requestBody: infer R }
  ? JsonContent<NonNullable<R>>
  : operations[K] extends { requestBody?: infer R }
    ? JsonContent<NonNullable<R>> | undefined
    : undefined;
/** The body of the success response of an operation (void for 204). */
export type ResponseOf<K extends OperationKey, S extends number> = S extends 204
  ? void
  : S extends keyof operations[K]['responses']
    ? JsonContent<operations[K]['responses'][S]>
    : never;

export type HandlerRequest<K extends OperationKey> = {
  path: PathOf<K>;
  query: QueryOf<K>;
  body: BodyOf<K>;
};

/** One operation's implementation: typed, validated input in; the success body out. */
export type Handler<K extends OperationKey, S extends number, Ctx> = (
  request: HandlerRequest<K>,
  context: Ctx,
) => Promise<ResponseOf<K, S>>;
