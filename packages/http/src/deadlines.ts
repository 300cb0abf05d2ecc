// Deadlines: the timeouts of requests in flight (and of the sign-ins of the core), on one timer, where got's
// timed-out.ts keeps one per request.

/**
 * A deadline watched by one timer shared by all: a `setTimeout` and `clearTimeout` per request make and drop one of
 * Node's timer lists each time, which costs more than the rest of a loopback request's own work. The timer is set
 * for the earliest deadline and left running when deadlines are dropped (it finds nothing then, and is set for the
 * next one). It never keeps the process alive: what it watches does, through its socket or its lookup.
 */
export interface Watched {
  /** `performance.now()` past which `expire()` is called. */
  at: number;
  /** Called once, by the shared timer, when `at` has passed and the deadline is still watched. */
  expire(): void;
}
const inFlight = new Set<Watched>();
let watchTimer: ReturnType<typeof setTimeout> | undefined;
let watchAt = Infinity;

/** Calls `entry.expire()` once `performance.now()` passes `entry.at`, unless `unwatch(entry)` comes first. */
export function watch(entry: Watched): void {
  inFlight.add(entry);
  if (entry.at < watchAt) armWatch(entry.at);
}

/** Drops a deadline (its work ended in time). */
export function unwatch(entry: Watched): void {
  inFlight.delete(entry);
}

function armWatch(at: number): void {
  if (watchTimer !== undefined) clearTimeout(watchTimer);
  watchAt = at;
  watchTimer = setTimeout(checkWatched, Math.max(1, Math.ceil(at - performance.now())));
  watchTimer.unref();
}

function checkWatched(): void {
  watchTimer = undefined;
  watchAt = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const entry of inFlight) {
    if (entry.at <= now) {
      inFlight.delete(entry);
      entry.expire();
    } else if (entry.at < next) {
      next = entry.at;
    }
  }
  if (next !== Infinity) armWatch(next);
}
