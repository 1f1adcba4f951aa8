/**
 * 办案工作台: the console's frame (header, navigation, sign-out) and its pages,
 * routed on the address's hash (#/cases/…), which names pages and case ids
 * only, never a person; the server serves one page for all of them.
 */
import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { api } from './api';
import { hasWork, isOrganisation, isParty, readsLedger, ROLE_NAMES, worksInAuthority } from './labels';
import { Admin } from './pages/Admin';
import { CalendarPage } from './pages/Calendar';
import { CaseDetail } from './pages/CaseDetail';
import { CaseList } from './pages/CaseList';
import { ConclusionsPage } from './pages/Conclusions';
import { Dashboard } from './pages/Dashboard';
import { Inbox } from './pages/Inbox';
import { LedgerPage, StatisticsPage } from './pages/Ledger';
import { MyCase, MyCases } from './pages/MyCases';
import { MyWork } from './pages/MyWork';
import { OpenCase } from './pages/OpenCase';
import { RulebookAdmin } from './pages/RulebookAdmin';
import { RulebookPage, Rulebooks } from './pages/Rulebooks';
import { SignIn } from './pages/SignIn';
import { session, sessionSnapshot } from './session';
import { useAsync } from './util';
import './styles.css';

/**
 * Who each page is for, by the roles the API answers it for: staff of an authority (worksInAuthority),
 * those with a queue (hasWork: officers, supervisors, whose landing page is 我的待办), a party's own
 * account (its cases and inbox only), the organisation department (结果运用 only: it reads no case), and
 * the system-wide system-admin.
 */
const NAV: { href: string; label: string; shown: (roles: string[]) => boolean }[] = [
  { href: '/', label: '我的待办', shown: hasWork },
  { href: '/', label: '我的案件', shown: isParty },
  { href: '/conclusions', label: '结果运用', shown: isOrganisation },
  // The 工作台 reads an authority's cases and the calendar: nothing there for an organisation department alone.
  { href: '/dashboard', label: '工作台', shown: (roles) => !isParty(roles) && !organisationOnly(roles) },
  { href: '/cases', label: '案件列表', shown: worksInAuthority },
  { href: '/cases/new', label: '立案', shown: (roles) => roles.includes('officer') },
  { href: '/inbox', label: '收件箱', shown: (roles) => worksInAuthority(roles) || isParty(roles) },
  { href: '/calendar', label: '日历', shown: worksInAuthority },
  { href: '/ledger', label: '台账', shown: readsLedger },
  { href: '/statistics', label: '统计', shown: readsLedger },
  { href: '/rulebooks', label: '法规', shown: worksInAuthority },
  // An authority's admin checks a year's schedule; the system administrator loads it.
  { href: '/admin', label: '管理', shown: (roles) => roles.includes('admin') || roles.includes('system-admin') },
  // A deploying body's own 办法: submitted, checked, tried and put in force.
  { href: '/rulebook-admin', label: '规则管理', shown: (roles) => roles.includes('rulebook-admin') },
];

/** Only the organisation department's role: its one page is 结果运用. */
const organisationOnly = (roles: string[]) => roles.length > 0 && roles.every((r) => r === 'organisation');

const shown = (roles: string[]) => (n: (typeof NAV)[number]) => n.shown(roles);

/**
 * The landing page: 我的待办 for those with a queue, a party's own cases, 结果运用 for the organisation
 * department (with no queue), the 工作台 for everyone else.
 */
function Home() {
  const roles = session.user()?.roles ?? [];
  if (isParty(roles)) return <MyCases />;
  if (hasWork(roles)) return <MyWork />;
  return isOrganisation(roles) ? <ConclusionsPage /> : <Dashboard />;
}

function Nav({ roles }: { roles: string[] }) {
  const [location] = useLocation();
  const current = (href: string) =>
    href === '/' ? location === '/' || location.startsWith('/my/') : href === '/conclusions' ? location === '/conclusions' || (location === '/' && organisationOnly(roles)) : href === '/cases' ? location === '/cases' || (location.startsWith('/cases/') && location !== '/cases/new') : location.startsWith(href);
  return (
    <nav aria-label="主导航">
      <ul>
        {NAV.filter(shown(roles)).map((n) => (
          <li key={`${n.href}.${n.label}`}>
            <Link href={n.href} aria-current={current(n.href) ? 'page' : undefined}>
              {n.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function NotFound() {
  return (
    <>
      <h1>页面不存在</h1>
      <p>
        <Link href="/">返回首页</Link>
      </p>
    </>
  );
}


/** The signed-in authority by its name (GET /v1/me), never its id; until the name is known, nothing. */
function AuthorityName({ id }: { id: string }) {
  const me = useAsync(() => api.me(), [id]);
  const name = me.data?.authority?.name;
  return name ? <> · {name}</> : null;
}

function App() {
  useSyncExternalStore(session.subscribe, sessionSnapshot);
  const user = session.user();
  if (!user) return <SignIn expired={session.wasExpired()} />;
  return (
    <Router hook={useHashLocation}>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        跳到正文
      </a>
      <header className="top">
        <div className="brand">
          <span aria-hidden="true" className="logo">容</span> 容错免责 · 办案工作台
        </div>
        <Nav roles={user.roles} />
        <div className="who">
          <span>
            {user.name}（{user.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}
            {worksInAuthority(user.roles) || isOrganisation(user.roles) ? <AuthorityName id={user.authority} /> : ''}）
          </span>
          <button type="button" onClick={() => session.signOut()}>
            退出
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Switch>
          <Route path="/" component={Home} />
          <Route path="/dashboard" component={Dashboard} />
          <Route path="/my/cases/:id">{(params) => <MyCase id={params.id} />}</Route>
          <Route path="/cases" component={CaseList} />
          <Route path="/cases/new" component={OpenCase} />
          <Route path="/cases/:id">{(params) => <CaseDetail id={params.id} />}</Route>
          <Route path="/inbox" component={Inbox} />
          <Route path="/calendar" component={CalendarPage} />
          <Route path="/ledger" component={LedgerPage} />
          <Route path="/statistics" component={StatisticsPage} />
          <Route path="/conclusions" component={ConclusionsPage} />
          <Route path="/rulebooks" component={Rulebooks} />
          <Route path="/rulebooks/:id">{(params) => <RulebookPage id={params.id} />}</Route>
          <Route path="/admin" component={Admin} />
          <Route path="/rulebook-admin" component={RulebookAdmin} />
          <Route component={NotFound} />
        </Switch>
      </main>
    </Router>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
