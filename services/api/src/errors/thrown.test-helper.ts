import { expect } from 'vitest';
import { AppError } from './app-error.ts';

/** Runs `fn`, expects it to throw an AppError, and returns it for assertions on code and details. */
export function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}
