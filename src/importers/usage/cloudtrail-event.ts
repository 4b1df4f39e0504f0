/** The parts of a CloudTrail record (event) that usage reads; everything is optional in old or odd records. */
export interface CloudTrailUserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
  invokedBy?: string;
  sessionContext?: {
    sessionIssuer?: { type?: string; userName?: string; arn?: string; accountId?: string };
    sourceIdentity?: string;
  };
  onBehalfOf?: { userId?: string; identityStoreArn?: string };
}

export interface CloudTrailResource {
  type?: string;
  ARN?: string;
  ARNPrefix?: string;
  accountId?: string;
}

export interface CloudTrailEvent {
  eventID?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  eventCategory?: string;
  managementEvent?: boolean;
  awsRegion?: string;
  errorCode?: string;
  errorMessage?: string;
  userIdentity?: CloudTrailUserIdentity;
  resources?: CloudTrailResource[];
  additionalEventData?: { bytesTransferredIn?: unknown; bytesTransferredOut?: unknown };
}

/** A log file: `{ "Records": [...] }`. */
export interface CloudTrailLog {
  Records?: CloudTrailEvent[];
}
