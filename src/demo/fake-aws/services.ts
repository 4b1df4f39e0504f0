import { iamService, stsService } from './iam.js';
import type { FakeService } from './types.js';

/** Every service the fake account answers, by the SDK client's service name. */
export const fakeServices: Record<string, FakeService> = {
  IAM: iamService,
  STS: stsService,
};
