/**
 * The keys of every test: what tests send to Temporal is encrypted with
 * these, and so is every replay fixture recorded from now on, which is why
 * they never change (a rotation test adds its own key instead).
 */
import { caseDataConverter } from '../../services/codec/codec';
import { parsePayloadKeys, payloadKeyring } from '../../services/codec/keys';
import { matterIndex } from '../../services/cases/search-terms';

/** PAYLOAD_KEYS as a worker process of a test reads it. */
export const TEST_PAYLOAD_KEYS = 'test-2026a:dGVzdC1wYXlsb2FkLWtleS0yMDI2YS0zMi1ieXRlcyE=';
export const testPayloadKeys = payloadKeyring(parsePayloadKeys(TEST_PAYLOAD_KEYS));
/** The data converter of every test client and worker: it refuses what the keys did not seal, as the product's does. */
export const testDataConverter = caseDataConverter(testPayloadKeys);
/** The replay harness's for fixtures recorded before encryption, whose payloads were never encrypted; later ones replay with testDataConverter. */
export const unsealedReplayDataConverter = caseDataConverter(testPayloadKeys, { acceptUnsealed: true });
export const testMatterIndex = matterIndex(new TextEncoder().encode('test-search-terms-key-test-search-terms-key'));
