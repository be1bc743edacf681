import openapiTS, { astToString } from 'openapi-typescript';
import { generatedHeader } from './header.ts';
import type { OpenApiDocument } from './bundle.ts';

/** TypeScript types of every schema and operation (openapi-typescript). */
export async function emitTypes(doc: OpenApiDocument): Promise<string> {
  const ast = await openapiTS(doc as never, { alphabetize: true });
  return `${generatedHeader('spec/dist/openapi.json')}/* eslint-disable */\n${astToString(ast)}`;
}
