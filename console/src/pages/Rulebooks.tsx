/**
 * 法规: each jurisdiction's rulebook as the API serves it: its steps with the
 * roles that take them, every deadline with its period, and the catalogues,
 * each with its article and the quoted words of the regulation.
 */
import { Link } from 'wouter';
import { api, type Basis, type Rulebook } from '../api';
import { chineseDate } from '../format';
import { OUTCOME_NAMES, ROLE_NAMES, nameOf } from '../labels';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

const UNIT: Record<string, string> = { workingDays: '个工作日', days: '日', months: '个月' };
const CATALOGUES: Record<string, string> = { eligible: '容错情形', mitigating: '从轻、减轻情形', excluded: '不予免责情形', conditions: '容错条件' };
/** The parts of a step that carry a rule, in words. */
const PART_NAMES: Record<string, string> = {
  basis: '依据',
  deadline: '期限',
  window: '申诉期限',
  decision: '处理期限',
  group: '调查组',
  statements: '听取申诉意见',
  hearing: '听证',
  extensions: '延长',
  cap: '最长期限',
  participants: '邀请参与',
  scopeLimited: '一事一核',
  referral: '提交党委审议',
  upwardReport: '向上级报告',
  approval: '批准',
  advanceFiling: '事前报备',
  jointWithAccountability: '与问责决定一并作出',
  deferral: '暂缓决定',
  max: '最长暂缓',
  toleranceRequires: '容错的前提',
  suspendsAccountability: '暂缓追责',
  otherLeads: '其他线索',
  opensVerificationDeadline: '核实期限',
  document: '文书',
  onDenied: '不予免责时',
  routes: '启动方式',
  copyTo: '抄送',
  documents: '文书',
  onLapse: '逾期未申请',
  onRejection: '不予受理',
  onRefusal: '不予批准',
};

function Quote({ basis }: { basis: Basis }) {
  return (
    <>
      <cite>{basis.article}</cite> <q>{basis.quote}</q>
    </>
  );
}

const isBasis = (v: unknown): v is Basis => !!v && typeof v === 'object' && typeof (v as Basis).article === 'string' && typeof (v as Basis).quote === 'string';

/** Every rule inside a step: each part that carries a basis, with its period where it counts one. */
function rulesOf(value: unknown, path: string[] = []): { path: string[]; basis: Basis; period?: string }[] {
  if (isBasis(value)) return [{ path, basis: value }];
  if (!value || typeof value !== 'object') return [];
  const node = value as Record<string, unknown>;
  if (typeof node.amount === 'number' && isBasis(node.basis)) return [{ path, basis: node.basis, period: `${node.amount}${UNIT[String(node.unit)] ?? String(node.unit)}` }];
  return Object.entries(node).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap((item) => rulesOf(item, [...path, k])) : rulesOf(v, k === 'basis' ? path : [...path, k])));
}

export function RulebookPage({ id }: { id: string }) {
  const book = useAsync(() => api.getRulebook(id), [id]);
  if (book.error) return <ErrorNote>{book.error}</ErrorNote>;
  if (!book.data) return <Loading what="规则" />;
  const b: Rulebook = book.data;
  return (
    <article className="rulebook">
      <PageTitle>{b.name}</PageTitle>
      <p className="muted">
        {b.issuingBody} · 版本 {b.version} · {chineseDate(b.inForce)} 起施行 · 原文：<code>{b.source}</code>
      </p>
      <p>
        <Link href="/rulebooks">全部法规</Link>
      </p>
      <section aria-labelledby="steps">
        <h2 id="steps">程序步骤</h2>
        <ol className="rule-steps">
          {b.steps.map((s) => (
            <li key={s.stage}>
              <h3>{s.label}</h3>
              <p className="muted">
                办理：{('roles' in s ? s.roles : []).map((r) => ROLE_NAMES[r] ?? r).join('、') || '—'}
                {'outcomes' in s && s.outcomes ? ` · 结果：${s.outcomes.map((o) => nameOf(OUTCOME_NAMES, o)).join('、')}` : ''}
              </p>
              <ul>
                {rulesOf(s).map((r, i) => (
                  <li key={i}>
                    {r.path.length ? `${r.path.map((p) => PART_NAMES[p] ?? p).join(' · ')}：` : ''}
                    {r.period ? <strong>{r.period} </strong> : null}
                    <Quote basis={r.basis} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="catalogues">
        <h2 id="catalogues">情形与条件</h2>
        {Object.entries(b.catalogues).map(([kind, catalogue]) =>
          catalogue ? (
            <section key={kind} aria-labelledby={`c-${kind}`}>
              <h3 id={`c-${kind}`}>
                {CATALOGUES[kind] ?? kind}（<Quote basis={catalogue.basis} />）
              </h3>
              <ul>
                {catalogue.items.map((item) => (
                  <li key={item.id}>
                    <cite>{item.article}</cite> {item.text}
                  </li>
                ))}
              </ul>
            </section>
          ) : null,
        )}
      </section>
      <section aria-labelledby="effects">
        <h2 id="effects">认定结果的效力</h2>
        <ul>
          {Object.entries(b.effects).flatMap(([outcome, effects]) =>
            (effects ?? []).map((e, i) => (
              <li key={`${outcome}-${i}`}>
                <strong>{nameOf(OUTCOME_NAMES, outcome)}</strong>：{e.text}（<Quote basis={e.basis} />）
              </li>
            )),
          )}
        </ul>
      </section>
    </article>
  );
}

export function Rulebooks() {
  const list = useAsync(() => api.listRulebooks(), []);
  return (
    <>
      <PageTitle>法规</PageTitle>
      {list.error ? <ErrorNote>{list.error}</ErrorNote> : null}
      {list.loading && !list.data ? <Loading what="法规" /> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">规则</th>
            <th scope="col">制定机关</th>
            <th scope="col">版本</th>
            <th scope="col">施行日期</th>
            <th scope="col">本机关适用</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.rulebooks.map((b) => (
            <tr key={`${b.id}-${b.version}`}>
              <th scope="row">
                <Link href={`/rulebooks/${b.id}`}>{b.name}</Link>
              </th>
              <td>{b.issuingBody}</td>
              <td>{b.version}</td>
              <td>{chineseDate(b.inForce)}</td>
              <td>{b.usable ? '是' : '否'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
