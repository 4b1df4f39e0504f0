import { cloudTrailService } from './cloudtrail.js';
import { glueService } from './glue.js';
import { iamService, stsService } from './iam.js';
import { identityStoreService, ssoAdminService } from './identity-center.js';
import { identityStoreLookups, ssoAdminWrites } from './identity-center-writes.js';
import { s3PolicyHandlers } from './s3-policies.js';
import { s3Service } from './s3.js';
import { s3ControlService } from './s3control.js';
import type { FakeService } from './types.js';
import { iamWrites, s3ControlWrites } from './writes.js';

/** Every service the fake account answers, by the SDK client's service name. */
export const fakeServices: Record<string, FakeService> = {
  IAM: { ...iamService, ...iamWrites },
  STS: stsService,
  S3: { ...s3Service, ...s3PolicyHandlers },
  S3Control: { ...s3ControlService, ...s3ControlWrites },
  Glue: glueService,
  CloudTrail: cloudTrailService,
  SSOAdmin: { ...ssoAdminService, ...ssoAdminWrites },
  Identitystore: { ...identityStoreService, ...identityStoreLookups },
};
