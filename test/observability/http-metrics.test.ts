import { Counter, Histogram, Registry } from 'prom-client'
import t from 'tap'
import { HttpMetrics } from '../../src/observability/http-metrics.js'

const responses: Array<[string, string, string, number, number]> = [
  ['internal', 'POST', '/sts/token', 200, 0.0004],
  ['internal', 'POST', '/sts/token', 200, 0.001],
  ['internal', 'POST', '/sts/token', 401, 0.003],
  ['public', 'POST', '/p/:participantId/cs/presentations/query', 200, 0.0125],
  ['public', 'GET', 'unmatched', 404, 0.0001],
  ['internal', 'POST', '/sts/token', 200, 3.5],
  ['public', 'POST', '/p/:participantId/cs/presentations/query', 200, 0.25],
]

/** Writes the same responses through prom-client's own Counter and Histogram, the format to match. */
async function promClientOutput(): Promise<string> {
  const registry = new Registry()
  const labelNames = ['listener', 'method', 'route', 'status'] as const
  const counter = new Counter({ name: 'dcp_http_requests_total', help: 'HTTP responses sent, by listener, method, route pattern and status.', labelNames, registers: [registry] })
  const histogram = new Histogram({
    name: 'dcp_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response.',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  for (const [listener, method, route, status, seconds] of responses) {
    const labels = { listener, method, route, status: String(status) }
    counter.inc(labels)
    histogram.observe(labels, seconds)
  }
  return registry.metrics()
}

t.test('http metrics: prom-client output', async (t) => {
  const registry = new Registry()
  const metrics = new HttpMetrics()
  metrics.register(registry)
  for (const response of responses) metrics.record(...response)
  t.equal(await registry.metrics(), await promClientOutput())
})

t.test('http metrics: bucket edges', async (t) => {
  const registry = new Registry()
  const metrics = new HttpMetrics()
  metrics.register(registry)
  metrics.record('internal', 'GET', '/health/live', 200, 0.001)
  const text = await registry.metrics()
  t.match(text, 'dcp_http_request_duration_seconds_bucket{le="0.001",listener="internal",method="GET",route="/health/live",status="200"} 1', 'a duration equal to a bound counts in its bucket')
  t.match(text, 'dcp_http_request_duration_seconds_count{listener="internal",method="GET",route="/health/live",status="200"} 1')
})

t.test('http metrics: reset', async (t) => {
  const registry = new Registry()
  const metrics = new HttpMetrics()
  metrics.register(registry)
  metrics.record('internal', 'GET', '/health/live', 200, 0.002)
  registry.resetMetrics()
  t.notMatch(await registry.metrics(), 'health/live')
})
