import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { answerJson, answerQuery } from './protocols.js';
import { answerS3, answerS3Control } from './s3.js';
import { signingScope, type WireRequest, type WireResponse } from './wire.js';

/** The fake account's name of each awsJson1_1 service, by the name its requests are signed for. */
const JSON_SERVICES: Record<string, string> = { glue: 'Glue', identitystore: 'Identitystore', sso: 'SSOAdmin', cloudtrail: 'CloudTrail' };

/**
 * Answers one request of the SDK in the wire format of the service it was signed for. The HTTP
 * server and the CPU floor (which replays the same requests in-process) both call this.
 */
export function answer(req: WireRequest, account: FakeAccount): WireResponse {
  const { service, region } = signingScope(req.headers);
  if (service === 's3') {
    // S3 Control signs as `s3` too; its paths start with the API version.
    return req.url.startsWith('/v20180820/') ? answerS3Control(req, account, region) : answerS3(req, account, region);
  }
  if (service === 'iam') return answerQuery('IAM', req, account, region);
  if (service === 'sts') return answerQuery('STS', req, account, region);
  const json = JSON_SERVICES[service];
  if (json) return answerJson(json, req, account, region);
  return { operation: `${service}.Unknown`, status: 400, headers: { 'content-type': 'text/plain' }, body: `the bench endpoint does not answer the service ${service}` };
}
