import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces go into the failure's encoded
 * attributes, so the payload codec encrypts them like any payload: an
 * error from a library may quote what it was given (a duplicate key error
 * quotes the key). Admins still read them decoded, through the API and
 * through the Web UI's codec endpoint. Loaded by path, because the
 * workflow sandbox bundles it.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

export const FAILURE_CONVERTER_PATH = __filename;
