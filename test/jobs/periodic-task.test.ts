import t from 'tap'
import { PeriodicTask } from '../../src/jobs/periodic-task.js'
import { createLogger } from '../../src/observability/logger.js'

t.test('runs repeatedly, survives a failure, and stop waits for the run in progress', async (t) => {
  // The task's timers are unref'd, so the test keeps the event loop alive itself.
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(keepAlive))
  let runs = 0
  let release!: () => void
  let thirdStarted!: () => void
  const third = new Promise<void>((resolve) => (thirdStarted = resolve))
  const task = new PeriodicTask({
    name: 'test',
    intervalMs: 5,
    logger: createLogger('silent'),
    run: async () => {
      runs += 1
      if (runs === 1) throw new Error('first run fails')
      if (runs === 3) {
        thirdStarted()
        await new Promise<void>((resolve) => (release = resolve))
      }
    },
  })
  task.start()
  await third
  let stopped = false
  const stopping = task.stop().then(() => (stopped = true))
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(stopped, false, 'stop waits for the run in progress')
  release()
  await stopping
  t.equal(runs, 3, 'no run starts after stop')
})
