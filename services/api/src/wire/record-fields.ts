import type { components } from '@tally/contract';

type Status = components['schemas']['Status'];

/** The columns every stored record has (see db/base-properties.ts). */
export type StoredRecord = {
  tenantId: string;
  environmentId: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  createdBy?: string | null;
  updatedBy?: string | null;
};

/** FlexPrice's base fields of every resource on the wire; an unknown author is an empty string. */
export function recordFields(r: StoredRecord) {
  return {
    environment_id: r.environmentId,
    tenant_id: r.tenantId,
    status: r.status as Status,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    created_by: r.createdBy ?? '',
    updated_by: r.updatedBy ?? '',
  };
}
