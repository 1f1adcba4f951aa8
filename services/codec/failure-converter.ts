/**
 * Failure messages and stack traces travel as an encoded payload, so the
 * payload codec encrypts them like everything else: a refusal's message may
 * quote the case. Loaded by path (DataConverter.failureConverterPath) into
 * the workflow bundle as well as the worker and clients, so it imports
 * nothing but @temporalio/common.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
