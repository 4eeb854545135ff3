import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { PoolStats } from '../storage/database.js'

/**
 * The Prometheus registry of one process with the HTTP and database metrics; domain modules
 * register their counters on `registry` too.
 */
export interface Metrics {
  registry: Registry
  httpRequests: Counter<'listener' | 'method' | 'route' | 'status'>
  httpDuration: Histogram<'listener' | 'method' | 'route' | 'status'>
  stsTokens: Counter<'outcome'>
  presentationQueries: Counter<'outcome'>
}

export function createMetrics(poolStats: () => PoolStats): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const httpRequests = new Counter({
    name: 'dcp_http_requests_total',
    help: 'HTTP responses sent, by listener, method, route pattern and status.',
    labelNames: ['listener', 'method', 'route', 'status'] as const,
    registers: [registry],
  })
  const httpDuration = new Histogram({
    name: 'dcp_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response.',
    labelNames: ['listener', 'method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  new Gauge({
    name: 'dcp_db_pool_connections',
    help: 'Database connections by state: total, idle, and waiting clients.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats()
      this.set({ state: 'total' }, stats.total)
      this.set({ state: 'idle' }, stats.idle)
      this.set({ state: 'waiting' }, stats.waiting)
    },
  })
  const stsTokens = new Counter({
    name: 'dcp_sts_tokens_total',
    help: 'STS token requests, by outcome: issued, or the error code of the refusal.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const presentationQueries = new Counter({
    name: 'dcp_presentation_queries_total',
    help: 'Presentation queries, by outcome: served, or the error code of the refusal.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  return { registry, httpRequests, httpDuration, stsTokens, presentationQueries }
}
