import { describe, expect, it } from '@jest/globals';
import { BudgetExhausted, RequestBudget } from 'lts-bridge';

describe('per-key request budget', () => {
  it('allows N requests a minute, then says how long to wait, and refills over time', () => {
    let now = 0;
    const budget = new RequestBudget(60, () => now);
    for (let i = 0; i < 60; i++) budget.take();
    let error: unknown;
    try {
      budget.take();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BudgetExhausted);
    expect((error as BudgetExhausted).waitMs).toBe(1000);
    expect((error as BudgetExhausted).retryable).toBe(true);
    now += 1000;
    expect(() => budget.take()).not.toThrow();
    expect(() => budget.take()).toThrow(BudgetExhausted);
    now += 120_000;
    for (let i = 0; i < 60; i++) budget.take();
    expect(() => budget.take()).toThrow(BudgetExhausted);
  });
});
