import { StoreError } from '@maniapass/http';

/** A store's answer within `ms`, or a `StoreError` (`ETIMEDOUT`): a store given by the user may not bound itself. */
export function bounded<T>(call: Promise<T>, ms: number, operation: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreError(`passport-openplanet: the store did not answer ${operation} within ${ms} ms`, 'ETIMEDOUT')), ms);
    timer.unref();
    call.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof StoreError ? err : new StoreError(`passport-openplanet: the store failed ${operation}`, 'ESTORE', { cause: err }));
      },
    );
  });
}
