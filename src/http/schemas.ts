import { Type } from 'typebox'
import { errorCodes } from '../errors/codes.js'
import { participantIdPattern } from '../participants/participant.js'

/** Response schema shared by every error status. */
export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'Stable code, one of the errors page.', enum: Object.keys(errorCodes) }),
    message: Type.String({ description: 'What failed, naming the field or value.' }),
  },
  { additionalProperties: false },
)

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorResponse]))

export const PageLimit = Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'Page size.' })

/** The `participantId` path segment of participant-scoped routes. */
export const ParticipantIdParam = Type.String({ pattern: participantIdPattern })

/** Path parameters of a route under `/v1/participants/{participantId}`. */
export const ParticipantParams = Type.Object({ participantId: ParticipantIdParam })
