import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { HttpMetrics } from './http-metrics.js'
import type { PoolStats } from '../storage/database.js'

/**
 * The Prometheus registry of one process with the HTTP and database metrics; domain modules
 * register their counters on `registry` too.
 */
export interface Metrics {
  registry: Registry
  http: HttpMetrics
  stsTokens: Counter<'outcome'>
  presentationQueries: Counter<'outcome'>
}

export function createMetrics(poolStats: () => PoolStats): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const http = new HttpMetrics()
  http.register(registry)
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
  return { registry, http, stsTokens, presentationQueries }
}
