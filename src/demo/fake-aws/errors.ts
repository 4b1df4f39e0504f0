/** An error shaped like the SDK's ServiceException, so error classification treats it as AWS's own. */
export function awsError(name: string, httpStatusCode: number, message: string): Error {
  const err = new Error(message) as Error & { $fault: string; $metadata: { httpStatusCode: number } };
  err.name = name;
  err.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  err.$metadata = { httpStatusCode };
  return err;
}

export function accessDenied(operation: string, resource?: string): Error {
  return awsError('AccessDenied', 403, `User is not authorized to perform: ${operation}${resource ? ` on resource: ${resource}` : ''}`);
}
