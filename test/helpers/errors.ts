/** Awaits a promise that must reject and returns its error; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a rejection, but the promise resolved')
}

/** Calls a function that must throw and returns its error; fails when it returns. */
export function thrownBy(call: () => unknown): { code?: string; message: string } {
  try {
    call()
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected an exception, but the call returned')
}
