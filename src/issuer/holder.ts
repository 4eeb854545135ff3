/** A holder in an issuer's registry, with the attributes that credential claims read. */
export interface IssuerHolder {
  id: string
  did: string
  name: string
  /** Attributes such as `bpn`, by name. */
  attributes: Record<string, unknown>
  createdAt: Date
}
