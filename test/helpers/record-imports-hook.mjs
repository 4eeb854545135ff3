// Module resolution hook that reports every resolved specifier to the thread that registered it.
let port

export function initialize(data) {
  port = data.port
}

export async function resolve(specifier, context, nextResolve) {
  port.postMessage(specifier)
  return nextResolve(specifier, context)
}
