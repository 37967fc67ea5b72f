/** What every domain operation works on: the store and the clock. */
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';

export interface DomainContext {
  store: Store;
  now: Clock;
}
