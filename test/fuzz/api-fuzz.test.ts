/**
 * No request breaks the API: for every route of the OpenAPI document, valid
 * requests and their mutations (bodies, headers, paths, queries, tokens) all
 * get an answer, none a 5xx, and every error is application/problem+json. A
 * failure is shrunk to the smallest request that shows it. `npm run fuzz`
 * runs the same campaign at length and prints its figures.
 */
import { startCampaign, type Campaign } from './campaign';

/** Requests per operation here; about 10 s of the suite on two cores. */
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 12);

let campaign: Campaign;
beforeAll(async () => {
  campaign = await startCampaign();
}, 120_000);
afterAll(() => campaign?.stop());

it('answers every generated request to every route, never with a 5xx, and every error as a problem', async () => {
  const figures = await campaign.run(PER_OPERATION, { stopAtFailure: true });
  expect(figures.requests).toBe(PER_OPERATION * campaign.operations);
  expect(campaign.operations).toBeGreaterThan(40);
  expect([figures.serverErrors, figures.hangs, figures.notProblems]).toEqual([0, 0, 0]);
  // The valid requests got through: not everything was refused.
  expect([...figures.byStatus.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
}, 300_000);
