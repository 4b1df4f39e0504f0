import { fakeServices } from '../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { asFakeError, awsJson, queryInput, queryXml, xmlEscape, type WireRequest, type WireResponse } from './wire.js';

// IAM and STS speak awsQuery (a form body in, XML out); Glue, Identity Store, SSO Admin and
// CloudTrail speak awsJson1_1 (X-Amz-Target names the operation, JSON in and out). Both shapes are
// generic, so the fake account's handlers (src/demo/fake-aws) answer and this file only encodes.

const QUERY_NAMESPACES: Record<string, string> = { IAM: 'https://iam.amazonaws.com/doc/2010-05-08/', STS: 'https://sts.amazonaws.com/doc/2011-06-15/' };

/** Answers one awsQuery call (IAM, STS). */
export function answerQuery(service: 'IAM' | 'STS', req: WireRequest, account: FakeAccount, region: string): WireResponse {
  const form = new URLSearchParams(req.body);
  const action = form.get('Action') ?? 'Unknown';
  const ns = QUERY_NAMESPACES[service]!;
  const operation = `${service}.${action}`;
  const handler = fakeServices[service]?.[action];
  try {
    if (!handler) throw Object.assign(new Error(`the bench endpoint does not answer ${operation}`), { name: 'InvalidAction', $metadata: { httpStatusCode: 400 } });
    const out = handler(queryInput(form), { account, region });
    const body = `<${action}Response xmlns="${ns}"><${action}Result>${queryXml(out)}</${action}Result><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></${action}Response>`;
    return { operation, status: 200, headers: { 'content-type': 'text/xml' }, body };
  } catch (err) {
    const e = asFakeError(err);
    const type = e.status >= 500 ? 'Receiver' : 'Sender';
    const body = `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${xmlEscape(e.name)}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>bench</RequestId></ErrorResponse>`;
    return { operation, status: e.status, headers: { 'content-type': 'text/xml' }, body };
  }
}

/** Answers one awsJson1_1 call; `service` is the fake's name for it (Glue, Identitystore, SSOAdmin, CloudTrail). */
export function answerJson(service: string, req: WireRequest, account: FakeAccount, region: string): WireResponse {
  const target = req.headers['x-amz-target'] ?? '';
  const action = target.slice(target.lastIndexOf('.') + 1);
  const operation = `${service}.${action}`;
  const headers = { 'content-type': 'application/x-amz-json-1.1' };
  const handler = fakeServices[service]?.[action];
  try {
    if (!handler) throw Object.assign(new Error(`the bench endpoint does not answer ${operation}`), { name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
    const input = req.body.length > 0 ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    return { operation, status: 200, headers, body: awsJson(handler(input, { account, region })) };
  } catch (err) {
    const e = asFakeError(err);
    return { operation, status: e.status, headers: { ...headers, 'x-amzn-errortype': e.name }, body: JSON.stringify({ __type: e.name, message: e.message }) };
  }
}
