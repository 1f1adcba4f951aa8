/**
 * 工作台: the authority's running cases with the next deadline of each, overdue
 * first (red), then due within three working days (amber); the unserved
 * notices in the inbox; the cases whose failed effect waits for a person.
 */
import { Link } from 'wouter';
import { api, type CaseSummary } from '../api';
import { beijingToday, chineseDate, lastDayOf } from '../format';
import { OUTCOME_NAMES, STAGE_FALLBACK, nameOf, worksInAuthority } from '../labels';
import { session } from '../session';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

type Urgency = 'overdue' | 'soon' | 'later' | 'none';

function urgencyOf(c: CaseSummary, soon: string): Urgency {
  if (c.overdue) return 'overdue';
  if (!c.nextDeadline) return 'none';
  return lastDayOf(c.nextDeadline) <= soon ? 'soon' : 'later';
}

const URGENCY_TEXT: Record<Urgency, string> = { overdue: '已逾期', soon: '3个工作日内到期', later: '', none: '' };
const ORDER: Record<Urgency, number> = { overdue: 0, soon: 1, later: 2, none: 3 };

async function load() {
  const today = beijingToday();
  const [list, soon, inbox] = await Promise.all([api.listCases({ pageSize: 100 }), api.deadlineAfter(today, 3, 'workingDays'), api.inbox(true)]);
  const running = list.cases.filter((c) => c.stage !== 'closed');
  const rows = running
    .map((c) => ({ c, urgency: urgencyOf(c, soon.deadline) }))
    .sort((a, b) => ORDER[a.urgency] - ORDER[b.urgency] || (a.c.nextDeadline ?? '~').localeCompare(b.c.nextDeadline ?? '~'));
  return { rows, soon: soon.deadline, unserved: inbox.notices.length, attention: running.filter((c) => c.needsAttention), more: list.nextPageToken !== null };
}

/** A system-wide role only (system-admin): no authority's cases, notices or deadlines are its to see. */
function SystemDashboard() {
  return (
    <section className="card" aria-labelledby="system">
      <h2 id="system">系统管理</h2>
      <p>系统管理员不属于任何机关，不办理、不查阅各机关的案件、通知和期限。</p>
      <p>
        <Link href="/admin">在“管理”中检查并载入国务院公布的年度法定节假日安排</Link>，办理中的案件随即重新计算暂定期限。
      </p>
    </section>
  );
}

/** The rulebook administrator's work: its 办法 put in force through 规则管理. */
function RulebookDashboard() {
  return (
    <section className="card" aria-labelledby="rulebook-admin">
      <h2 id="rulebook-admin">规则管理</h2>
      <p>
        <Link href="/rulebook-admin">在“规则管理”中提交本机关容错办法的规则文件</Link>，核对引文、试运行，经另一名规则管理员批准后自指定日期起生效。
      </p>
    </section>
  );
}

export function Dashboard() {
  const user = session.user();
  const inAuthority = worksInAuthority(user?.roles ?? []);
  return (
    <>
      <PageTitle>工作台</PageTitle>
      <p className="muted">
        {user?.name}，今天是 {chineseDate(beijingToday())}。
      </p>
      {inAuthority ? <AuthorityDashboard /> : null}
      {!inAuthority && user?.roles.includes('system-admin') ? <SystemDashboard /> : null}
      {user?.roles.includes('rulebook-admin') ? <RulebookDashboard /> : null}
    </>
  );
}

function AuthorityDashboard() {
  const { data, error, loading } = useAsync(load, []);
  return (
    <>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {loading && !data ? <Loading what="案件" /> : null}
      {data ? (
        <>
          <ul className="tiles" aria-label="概况">
            <li className="tile">
              <span className="big">{data.rows.length}</span> 件办理中
            </li>
            <li className={`tile ${data.rows.some((r) => r.urgency === 'overdue') ? 'red' : ''}`}>
              <span className="big">{data.rows.filter((r) => r.urgency === 'overdue').length}</span> 件已逾期
            </li>
            <li className={`tile ${data.rows.some((r) => r.urgency === 'soon') ? 'amber' : ''}`}>
              <span className="big">{data.rows.filter((r) => r.urgency === 'soon').length}</span> 件3个工作日内到期（{chineseDate(data.soon)}前）
            </li>
            <li className="tile">
              <Link href="/inbox">
                <span className="big">{data.unserved}</span> 条通知未签收
              </Link>
            </li>
          </ul>
          {data.attention.length ? (
            <section aria-labelledby="attention" className="attention">
              <h2 id="attention">需要处理的异常</h2>
              <ul>
                {data.attention.map((c) => (
                  <li key={c.id}>
                    <Link href={`/cases/${c.id}`}>{c.id}</Link>：有操作失败，等待重试或跳过
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="mine">
            <h2 id="mine">办理中的案件</h2>
            {data.rows.length === 0 ? <p>暂无办理中的案件。</p> : null}
            {data.rows.length ? (
              <table className="cases">
                <caption className="sr-only">办理中的案件，逾期的在前，其次为3个工作日内到期的</caption>
                <thead>
                  <tr>
                    <th scope="col">案件</th>
                    <th scope="col">事项</th>
                    <th scope="col">阶段</th>
                    <th scope="col">下一期限</th>
                    <th scope="col">状态</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map(({ c, urgency }) => (
                    <tr key={c.id} className={urgency}>
                      <td>
                        <Link href={`/cases/${c.id}`}>{c.id}</Link>
                      </td>
                      <td>{c.matter}</td>
                      <td>{nameOf(STAGE_FALLBACK, c.stage)}</td>
                      <td>{c.nextDeadline ? chineseDate(lastDayOf(c.nextDeadline)) : '—'}</td>
                      <td>
                        {URGENCY_TEXT[urgency] ? <span className={`badge ${urgency}`}>{URGENCY_TEXT[urgency]}</span> : null}
                        {c.outcome ? ` ${nameOf(OUTCOME_NAMES, c.outcome)}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {data.more ? (
              <p>
                仅显示前100件，<Link href="/cases">在案件列表中查看全部</Link>。
              </p>
            ) : null}
          </section>
        </>
      ) : null}
    </>
  );
}
