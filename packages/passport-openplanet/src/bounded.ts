import { boundedStoreCall } from '@maniapass/http';

/** A store's answer within `ms`, or a `StoreError` (`ETIMEDOUT`): a store given by the user may not bound itself. */
export function bounded<T>(call: Promise<T>, ms: number, operation: string): Promise<T> {
  return boundedStoreCall(call, ms, {
    timedOut: `passport-openplanet: the store did not answer ${operation} within ${ms} ms`,
    failed: () => `passport-openplanet: the store failed ${operation}`,
  });
}
