/**
 * A per-key request budget (token bucket): the poller never sends more than N requests a
 * minute with one tenant's key, whatever the backlog. When empty, the poll stops where it
 * is (nothing committed, nothing lost) and resumes when tokens are back.
 */
import { LeadToSheetError, type Transport } from '@leadtosheet/shared';

export class BudgetExhausted extends LeadToSheetError {
  constructor(readonly waitMs: number) {
    super({ status: 0, code: 'request_budget_exhausted', retryable: true, message: 'The per-key request budget is used up for now', retryAfterMs: waitMs });
  }
}

export class RequestBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perMinute;
    this.last = now();
  }

  private refill() {
    const t = this.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((t - this.last) * this.perMinute) / 60_000);
    this.last = t;
  }

  /** Takes one token, or throws BudgetExhausted with the wait until the next one. */
  take(): void {
    this.refill();
    if (this.tokens < 1) throw new BudgetExhausted(Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute));
    this.tokens -= 1;
  }
}

export function budgeted(transport: Transport, budget: RequestBudget): Transport {
  return {
    send(request) {
      budget.take();
      return transport.send(request);
    },
  };
}
