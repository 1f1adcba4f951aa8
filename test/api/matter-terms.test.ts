/** Free-text search on a matter works by bigrams, since visibility stores do not split Chinese into words. */
import { matterTerms, queryTerms } from '../../domain/case/matter-terms';

describe('matter search terms', () => {
  it('index a Chinese matter as its character bigrams and Latin words', () => {
    expect(matterTerms('城市更新 PPP项目')).toEqual(['城市', '市更', '更新', 'ppp', '项目']);
  });

  it('make every search word’s bigrams a subset of the matter’s terms when the matter contains it', () => {
    const terms = new Set(matterTerms('推进城市更新中的审批瑕疵'));
    expect(queryTerms('城市更新').every((t) => terms.has(t))).toBe(true);
    expect(queryTerms('招商引资').every((t) => terms.has(t))).toBe(false);
  });

  it('ignore a lone Chinese character, which would match almost anything', () => {
    expect(queryTerms('城')).toEqual([]);
  });
});
