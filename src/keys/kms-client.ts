import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms'
import type { KmsConfig } from '../config/key-variables.js'

/**
 * Creates the KMS client of the process. Credentials come from the AWS SDK's default chain,
 * such as EKS Pod Identity. The endpoint is the SDK's own for the region unless KMS_ENDPOINT
 * overrides it. The standard retry mode retries throttling and transient failures with
 * exponential backoff and jitter, up to KMS_MAX_ATTEMPTS attempts in total.
 */
export function createKmsClient(config: KmsConfig, overrides: Partial<KMSClientConfig> = {}): KMSClient {
  return new KMSClient({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    maxAttempts: config.maxAttempts,
    retryMode: 'standard',
    // Without throwOnRequestTimeout, @smithy/node-http-handler 4.x only logs a warning when
    // requestTimeout passes and the call keeps waiting.
    requestHandler: {
      connectionTimeout: config.timeoutMs,
      requestTimeout: config.timeoutMs,
      throwOnRequestTimeout: true,
    },
    ...overrides,
  })
}
