import { Type } from 'typebox'
import { errorCodes } from '../errors/codes.js'

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
