// The context packages ship JavaScript without types. Tests read only their `contexts` maps.
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, unknown>
}
declare module 'did-context' {
  export const contexts: Map<string, unknown>
}
declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, unknown>
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: Map<string, unknown>
}
