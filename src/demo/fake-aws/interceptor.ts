import type { AwsInterceptor } from '../../plugin-api/contract.js';
import { accessDenied, awsError } from './errors.js';
import type { FakeAccount, FakeService } from './types.js';

export interface FakeAwsOptions {
  /** Added to every call, to make a fake account behave like a remote one (bench). */
  latencyMs?: number;
}

/** Is this call listed as denied in the account? `resource` names the bucket or other target of the call. */
export function isDenied(account: FakeAccount, service: string, operation: string, resource?: string): boolean {
  const denied = account.denied ?? [];
  return denied.includes(`${service}.${operation}`) || (resource !== undefined && denied.includes(`${service}.${operation}:${resource}`));
}

/**
 * Answers SDK commands from a FakeAccount. `services` maps the client's service name
 * (`IAM`, `S3`, `S3Control`, `Glue`, `STS`, ...) to its handlers.
 */
export function fakeAwsInterceptor(account: FakeAccount, services: Record<string, FakeService>, options: FakeAwsOptions = {}): AwsInterceptor {
  return async ({ service, operation, region, input }) => {
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (account.disabledRegions?.includes(region) && service !== 'STS' && service !== 'IAM') {
      throw awsError('UnrecognizedClientException', 400, `The security token included in the request is invalid (region ${region} is not enabled)`);
    }
    const resource = typeof input.Bucket === 'string' ? input.Bucket : undefined;
    if (isDenied(account, service, operation, resource)) throw accessDenied(`${service.toLowerCase()}:${operation}`, resource);
    const handler = services[service]?.[operation];
    if (!handler) throw awsError('UnknownOperationException', 400, `the sample account does not answer ${service}.${operation}`);
    return { $metadata: { httpStatusCode: 200 }, ...(handler(input, { account, region }) as object) };
  };
}
