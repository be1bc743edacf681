export type { Handlers, OperationId } from './generated/handlers.ts';
export type { components, operations } from './generated/types.ts';
export { operationTable, type OperationRow } from './generated/operations.ts';
export type { Handler, HandlerRequest } from './handler.ts';
export { mountOperations, ResponseContractError, type MountOptions } from './mount.ts';
export { RequestValidationError, fieldPath, toFieldErrors } from './validation-error.ts';
export { inspectInput, maxJsonDepth, type InputProblems } from './input-inspection.ts';
