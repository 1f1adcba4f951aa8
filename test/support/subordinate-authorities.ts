/**
 * A superior body and two subordinates, as an authorities file would state them: Binhai's 纪委 over the
 * 纪工委 of two of its streets (街道), all three reviewing under Binhai's 办法, for the tests of a superior
 * body's view of its subordinates' figures.
 */
import { DEFAULT_AUTHORITIES, parseAuthorities, type AuthoritiesFile } from '../../config/authorities';

function streetCommission(id: string, street: string, code: string): AuthoritiesFile['authorities'][number] {
  const name = `中共天津市滨海新区${street}纪律工作委员会`;
  return {
    id,
    jurisdiction: 'binhai',
    name,
    shortName: `${street}纪工委`,
    banner: `${name}文件`,
    series: { decision: `${code}免`, notice: `${code}告`, letter: `${code}函`, appeal: `${code}申`, correction: `${code}纠` },
    printedBy: `${name}办公室`,
    superior: { discipline: '中共天津市滨海新区纪律检查委员会' },
  };
}

export const SUBORDINATES = [streetCommission('bh-tanggu-jgw', '塘沽街道', '塘纪'), streetCommission('bh-xinhe-jgw', '新河街道', '新纪')] as const;

/** The embedded authorities, Binhai's 纪委 listing the two street commissions as its subordinates. */
export const withSubordinates = () =>
  parseAuthorities(
    {
      authorities: [
        ...DEFAULT_AUTHORITIES.authorities.map((a) => (a.id === 'binhai-jw' ? { ...a, subordinates: SUBORDINATES.map((s) => s.id) } : a)),
        ...SUBORDINATES,
      ],
    },
    'test authorities',
  );
