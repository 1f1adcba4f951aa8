/**
 * How long a list waits on Temporal's visibility. With the server away the client would retry for
 * about half a minute; the caller gets a 503 with Retry-After instead, while a read of one case
 * still answers from its view in the archive.
 */
export const VISIBILITY_WAIT_MS = 10_000;
