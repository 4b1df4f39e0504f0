export type { AwsContext } from './context.js';
export {
  awsContextFor,
  createAwsContext,
  releaseAwsContext,
  sdkDefaultRegion,
  AWS_CONTEXT_STATE_KEY,
  CALL_COUNTER_MIDDLEWARE,
  INTERCEPTOR_MIDDLEWARE,
  MAX_ATTEMPTS,
  RETRY_COUNTER_MIDDLEWARE,
  ROLE_SESSION_NAME,
  type AwsContextOptions,
  type AwsServiceName,
  type ManagedAwsContext,
} from './client-factory.js';
export { classifyAwsError, describeAwsError, iamActionFor, redirectRegion, OPT_IN_REGIONS, type AwsCall, type AwsCallRegion, type AwsErrorClass } from './errors.js';
export {
  awsConnectionParameters,
  listParameter,
  stringParameter,
  validateAwsParameters,
  AWS_CONCURRENCY_DEFAULT,
  AWS_CONCURRENCY_MAX,
  AWS_CONCURRENCY_MIN,
} from './parameters.js';
