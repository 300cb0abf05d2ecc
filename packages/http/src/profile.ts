/** The passport profile convention, typed. `id` is always a string. */
export interface ProviderProfile<Json = unknown> {
  /** The provider's name, lower case: `trackmania`, `maniaplanet`, `trackmage`, `toornament`, `openplanet`. */
  provider: string;
  /** The user's id at the provider, always a string: key your users on it. */
  id: string;
  /** The name to show. */
  displayName: string;
  /** The user's login or handle, where the provider has one. */
  username?: string;
  /** The user's names, where the provider gives them. */
  name?: {
    /** The family name. */
    familyName?: string;
    /** The given name. */
    givenName?: string;
    /** The middle name. */
    middleName?: string;
  };
  /** The e-mail addresses, where the provider gives them (`verified` where it says). */
  emails?: Array<{
    /** The address. */
    value: string;
    /** Whether the provider verified it, where it says. */
    verified?: boolean;
    /** The kind of address (`home`, `work`...), where the provider says. */
    type?: string;
  }>;
  /** Avatar URLs, where the provider gives them. */
  photos?: Array<{
    /** The image URL. */
    value: string;
  }>;
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

/** `JSON.parse`, or an error that says which body (`what`) was not JSON, without quoting it. */
export function parseJsonBody(raw: string, what: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${what} is not JSON`);
  }
}

/** The items of a JSON array, each an object with a string `key`; throws naming `what` otherwise. */
export function objectsWith<T>(value: unknown, key: string, what: string): T[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  for (const item of value) {
    if (typeof objectBody(item)?.[key] !== 'string') throw new Error(`${what} has an entry without ${key}`);
  }
  return value as T[];
}
