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
}

export function createMetrics(poolStats: () => PoolStats): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const httpRequests = new Counter({
    name: 'dcp_http_requests_total',
    help: 'HTTP requests answered, by listener, method, route pattern and status.',
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
  return { registry, httpRequests, httpDuration }
}
