import type { Counter } from 'prom-client'
import { AppError } from '../errors/app-error.js'

/** Runs `work`; when it throws, counts the refusal under the error code and throws it on. */
export async function countRefusal<T>(counter: Counter<'outcome'>, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    counter.inc({ outcome: error instanceof AppError ? error.code : 'ERR_INTERNAL' })
    throw error
  }
}
