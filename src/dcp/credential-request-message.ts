import { AppError } from '../errors/app-error.js'
import { dcpContextV1, dcpVersionOf } from './context.js'

const maxCredentials = 32
const maxIdLength = 256

/** The parts of a CredentialRequestMessage the issuer acts on. */
export interface CredentialRequestMessage {
  holderPid: string
  /** `id` of each requested CredentialObject, in request order, without repeats. */
  credentialIds: string[]
}

/**
 * Checks a `CredentialRequestMessage` body as plain JSON: the DCP context, the type, a
 * `holderPid` and a non-empty `credentials` array of `{id}` objects. Each failure names the
 * field, with ERR_DCP_MESSAGE_INVALID.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#credential-request-api
 */
export function parseCredentialRequestMessage(body: unknown): CredentialRequestMessage {
  if (!isObject(body)) throw invalid('the body must be a JSON object')
  if (!dcpVersionOf(body['@context'])) throw invalid(`"@context" must contain "${dcpContextV1}"`)
  const type = body.type ?? body['@type']
  if (type !== 'CredentialRequestMessage') throw invalid('"type" must be "CredentialRequestMessage"')

  const holderPid = body.holderPid
  if (typeof holderPid !== 'string' || holderPid.length === 0 || holderPid.length > maxIdLength) {
    throw invalid(`missing "holderPid": expected a string of 1 to ${maxIdLength} characters`)
  }

  const credentials = body.credentials
  if (!Array.isArray(credentials) || credentials.length === 0 || credentials.length > maxCredentials) {
    throw invalid(`missing "credentials": expected 1 to ${maxCredentials} objects with an "id"`)
  }
  const credentialIds = credentials.map((entry, index) => {
    if (!isObject(entry) || typeof entry.id !== 'string' || entry.id.length === 0 || entry.id.length > maxIdLength) {
      throw invalid(`"credentials[${index}].id" must be a non-empty string`)
    }
    return entry.id
  })
  return { holderPid, credentialIds: [...new Set(credentialIds)] }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string): AppError {
  return new AppError('ERR_DCP_MESSAGE_INVALID', message)
}
