/** Who is calling: resolved from the API key, scoping every query. */
export type AuthContext = {
  tenantId: string;
  environmentId: string;
  secretId: string;
};

/** The tenant + environment filter every repository query starts from. */
export const scopeOf = (auth: AuthContext) => ({ tenantId: auth.tenantId, environmentId: auth.environmentId });
