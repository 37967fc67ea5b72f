/** Prometheus metrics, one registry per bridge instance (no globals: tests run several). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(collectBacklog: () => Promise<{ pending: number; oldest_seconds: number | null; parked: number; authFailedSites: number }>) {
  const registry = new Registry();
  // The event loop delay is sampled every 100 ms, not every 10 ms (the default): at 10 ms the
  // sampling timer alone kept an idle bridge at about half a percent of a core.
  collectDefaultMetrics({ register: registry, prefix: 'lts_bridge_', eventLoopMonitoringPrecision: 100 });
  const polls = new Counter({ name: 'lts_bridge_polls_total', help: 'Polls of LeadToSheet, by outcome', labelNames: ['outcome'] as const, registers: [registry] });
  const pollErrors = new Counter({ name: 'lts_bridge_poll_errors_total', help: 'Failed polls, by error code', labelNames: ['code'] as const, registers: [registry] });
  const events = new Counter({ name: 'lts_bridge_events_total', help: 'New submission events recorded', registers: [registry] });
  const deliveries = new Counter({
    name: 'lts_bridge_deliveries_total',
    help: 'Delivery attempts, by outcome (succeeded, retrying, parked, gone)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const attemptLatency = new Histogram({
    name: 'lts_bridge_delivery_attempt_seconds',
    help: 'HTTP time of one delivery attempt',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'lts_bridge_delivery_lag_seconds',
    help: 'From the poll that saw a submission to its successful delivery',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 300, 3600],
    registers: [registry],
  });
  // prom-client collects gauges concurrently: each reads one snapshot, taken once per scrape.
  let snapshot: ReturnType<typeof collectBacklog> | undefined;
  const read = () => {
    snapshot ??= collectBacklog().finally(() => setTimeout(() => (snapshot = undefined), 100).unref());
    return snapshot;
  };
  new Gauge({
    name: 'lts_bridge_queue_depth',
    help: 'Deliveries waiting for an attempt (pending), and parked ones',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const b = await read();
      this.set({ status: 'pending' }, b.pending);
      this.set({ status: 'parked' }, b.parked);
    },
  });
  new Gauge({
    name: 'lts_bridge_queue_oldest_pending_seconds',
    help: 'Age of the oldest pending delivery',
    registers: [registry],
    async collect() {
      this.set((await read()).oldest_seconds ?? 0);
    },
  });
  new Gauge({
    name: 'lts_bridge_sites_auth_failed',
    help: 'Sites whose key was refused (401): not polled until re-subscribed',
    registers: [registry],
    async collect() {
      this.set((await read()).authFailedSites);
    },
  });
  return { registry, polls, pollErrors, events, deliveries, attemptLatency, lag };
}
