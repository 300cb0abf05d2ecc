/** The passport profile convention, typed. `id` is always a string. */
export interface ProviderProfile<Json = unknown> {
  provider: string;
  id: string;
  displayName: string;
  username?: string;
  name?: { familyName?: string; givenName?: string; middleName?: string };
  emails?: Array<{ value: string; verified?: boolean; type?: string }>;
  photos?: Array<{ value: string }>;
  /** The profile body exactly as received. */
  _raw: string;
  /** The parsed profile body. */
  _json: Json;
}

/** A string that is not blank, as it is, or `undefined`. For reading untrusted JSON. */
export function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A JSON object (not an array, not null), or `undefined`. */
export function objectBody(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
