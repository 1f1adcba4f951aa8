/**
 * The authorities documents name: one validated file (or the embedded
 * default), refused with the field and the reason when it is wrong, and a
 * case whose authority is not configured still names a body, never its id.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuthoritiesError, DEFAULT_AUTHORITIES, loadAuthorities, parseAuthorities, type AuthoritiesFile } from '../../config/authorities';
import { binhai2021 } from '../../domain/rulebooks/binhai';
import { JURISDICTIONS } from '../../domain/rulebooks';

describe('the authorities configuration', () => {
  it('has, by default, an authority for every jurisdiction under the ids tokens and tests use', () => {
    const authorities = loadAuthorities();
    expect(authorities.list.map((a) => a.id)).toEqual(['binhai-jw', 'hz-jyj', 'yinchuan-jw', 'jiaozuo-jw', 'yangjiang-jw']);
    for (const jurisdiction of JURISDICTIONS) expect(authorities.list.some((a) => a.jurisdiction === jurisdiction)).toBe(true);
    expect(authorities.get('binhai-jw')).toMatchObject({ name: '中共天津市滨海新区纪律检查委员会', partyCommittee: '中共天津市滨海新区委员会', series: { decision: '滨纪免', notice: '滨纪告' } });
  });

  it('is read from AUTHORITIES_FILE when one is given', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'authorities-')), 'authorities.json');
    fs.writeFileSync(file, JSON.stringify({ authorities: [{ ...DEFAULT_AUTHORITIES.authorities[0], id: 'tj-bh-jw', name: '滨海新区纪委监委机关' }] }));
    expect(loadAuthorities(file).get('tj-bh-jw')?.name).toBe('滨海新区纪委监委机关');
  });

  it.each([
    ['two authorities with one id', [DEFAULT_AUTHORITIES.authorities[0], DEFAULT_AUTHORITIES.authorities[0]], /authorities\.1\.id: binhai-jw appears twice/],
    ['two series sharing a prefix', [{ ...DEFAULT_AUTHORITIES.authorities[0], series: { ...DEFAULT_AUTHORITIES.authorities[0]!.series, notice: '滨纪免' } }], /authorities\.0\.series\.notice: 滨纪免 is already the prefix/],
    ['a prefix with the year in it', [{ ...DEFAULT_AUTHORITIES.authorities[0], series: { ...DEFAULT_AUTHORITIES.authorities[0]!.series, appeal: '滨纪申〔2026〕' } }], /authorities\.0\.series\.appeal: must be the 机关代字 only/],
    ['an authority without a name', [{ ...DEFAULT_AUTHORITIES.authorities[0], name: undefined }], /authorities\.0\.name/],
  ])('refuses %s, naming the field', (_what, list, message) => {
    expect(() => parseAuthorities({ authorities: list })).toThrow(AuthoritiesError);
    expect(() => parseAuthorities({ authorities: list })).toThrow(message);
  });

  describe('the subordinates a superior body lists', () => {
    const [binhai, hangzhou, yinchuan] = DEFAULT_AUTHORITIES.authorities as [AuthoritiesFile['authorities'][number], AuthoritiesFile['authorities'][number], AuthoritiesFile['authorities'][number]];
    const listing = (...pairs: [AuthoritiesFile['authorities'][number], string[]][]) => pairs.map(([a, subordinates]) => ({ ...a, subordinates }));

    it('reach down the tree, nearest first', () => {
      const authorities = parseAuthorities({ authorities: listing([binhai, [hangzhou.id]], [hangzhou, [yinchuan.id]], [yinchuan, []]) });
      expect(authorities.subordinatesOf('binhai-jw').map((a) => a.id)).toEqual(['hz-jyj', 'yinchuan-jw']);
      expect(authorities.subordinatesOf('hz-jyj').map((a) => a.id)).toEqual(['yinchuan-jw']);
      expect(authorities.subordinatesOf('yinchuan-jw')).toEqual([]);
      expect(loadAuthorities().subordinatesOf('binhai-jw')).toEqual([]);
    });

    it.each([
      ['an unknown id', [[binhai, ['nowhere-jw']]], /authorities\.0\.subordinates\.0: nowhere-jw is not a configured authority/],
      ['itself', [[binhai, ['binhai-jw']]], /authorities\.0\.subordinates\.0: binhai-jw cannot be its own subordinate/],
      ['one authority under two superiors', [[binhai, ['yinchuan-jw']], [hangzhou, ['yinchuan-jw']], [yinchuan, []]], /authorities\.1\.subordinates\.0: yinchuan-jw is already a subordinate of binhai-jw/],
      ['a cycle', [[binhai, ['hz-jyj']], [hangzhou, ['yinchuan-jw']], [yinchuan, ['binhai-jw']]], /authorities\.0\.subordinates: the subordinates form a cycle: binhai-jw → hz-jyj → yinchuan-jw → binhai-jw/],
    ] as [string, [AuthoritiesFile['authorities'][number], string[]][], RegExp][])('refuses %s, in one line naming the setting', (_what, pairs, message) => {
      const parse = () => parseAuthorities({ authorities: listing(...pairs) }, 'AUTHORITIES_FILE authorities.json');
      expect(parse).toThrow(AuthoritiesError);
      expect(parse).toThrow(message);
      expect(() => parse()).toThrow(/^AUTHORITIES_FILE authorities\.json: [^\n]+$/);
    });
  });

  it('speaks of an authority it does not know as its jurisdiction’s, or as the rulebook’s issuing body', () => {
    const authorities = loadAuthorities();
    expect(authorities.resolve('binhai-other', binhai2021 as never).name).toBe('中共天津市滨海新区纪律检查委员会');
    const unknown = authorities.resolve('demo-county-jw', { id: 'demo-county', issuingBody: '中共示范县委员会', documentNumberPrefix: '示容' });
    expect(unknown).toMatchObject({ name: '中共示范县委员会', banner: '中共示范县委员会文件', series: { decision: '示容' } });
    expect(JSON.stringify(unknown)).not.toMatch(/"(name|shortName|banner|printedBy)":"[^"]*demo-county-jw/);
  });
});
