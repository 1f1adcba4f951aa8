/**
 * Sign-in: through the configured OIDC issuer (authorization code with PKCE),
 * or, where none is configured, the development sign-in, which says so.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type SignInSettings } from '../api';
import { ROLE_NAMES, fieldMessage } from '../labels';
import { finishOidcSignIn, session, startOidcSignIn } from '../session';
import { ErrorNote, Loading, PageTitle } from '../util';

/** A lifetime in seconds as people say it: 8 小时, 30 分钟. */
function hours(seconds: number): string {
  return seconds >= 3600 && seconds % 3600 === 0 ? ` ${seconds / 3600} 小时` : ` ${Math.max(1, Math.floor(seconds / 60))} 分钟`;
}

function RoleBox({ role, roles, setRoles }: { role: string; roles: string[]; setRoles: (roles: string[]) => void }) {
  return (
    <label className="inline">
      <input type="checkbox" name="roles" value={role} checked={roles.includes(role)} onChange={(e) => setRoles(e.target.checked ? [...roles, role] : roles.filter((x) => x !== role))} />
      {ROLE_NAMES[role] ?? role}
    </label>
  );
}

/** Roles of one kind the development sign-in offers, with what they are for; none offered, nothing shown. */
function RoleGroup({ legend, offered, roles, setRoles, children }: { legend: string; offered: string[] | undefined; roles: string[]; setRoles: (roles: string[]) => void; children: ReactNode }) {
  const noteId = useId();
  if (!offered?.length) return null;
  return (
    <fieldset className="field" aria-describedby={noteId}>
      <legend>{legend}</legend>
      {offered.map((r) => (
        <RoleBox key={r} role={r} roles={roles} setRoles={setRoles} />
      ))}
      <span className="hint" id={noteId}>
        {children}
      </span>
    </fieldset>
  );
}

function DevelopmentSignIn({ settings }: { settings: Extract<SignInSettings, { mode: 'development' }> }) {
  const [authority, setAuthority] = useState(settings.authorities[0]?.id ?? '');
  const [roles, setRoles] = useState<string[]>(['officer']);
  const [sub, setSub] = useState('dev-officer');
  const [name, setName] = useState('张办案');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const noteId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setError(undefined);
    try {
      const { token } = await api.developmentSignIn({ sub, name, roles, authority });
      session.signIn(token);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setError(err.problem.detail);
      setErrors(Object.fromEntries((err.problem.errors ?? []).map((f) => [f.field.replace(/^body\./, ''), fieldMessage(f.message)])));
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-describedby={noteId} className="card narrow">
      <p id={noteId} className="warning" role="note">
        <strong>开发环境登录。</strong>本系统未配置 OIDC 统一身份认证服务，因此可任选角色和所属机关登录，仅供开发和测试使用；生产环境请配置认证服务（JWKS_URL、TOKEN_ISSUER、OIDC_CLIENT_ID）。登录有效期{hours(settings.tokenLifetimeSeconds)}。
      </p>
      <div className="field">
        <label htmlFor="authority">所属机关</label>
        <select id="authority" value={authority} onChange={(e) => setAuthority(e.target.value)}>
          {settings.authorities.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}（{a.id}）
            </option>
          ))}
        </select>
        {errors.authority ? <span className="field-error">{errors.authority}</span> : null}
      </div>
      <fieldset className="field">
        <legend>本机关角色</legend>
        {settings.roles.map((r) => (
          <RoleBox key={r} role={r} roles={roles} setRoles={setRoles} />
        ))}
      </fieldset>
      <RoleGroup legend="全系统角色" offered={settings.systemRoles} roles={roles} setRoles={setRoles}>
        系统管理员载入全国统一的法定节假日安排，不属于任何机关；所属机关仅用于登录标识。
      </RoleGroup>
      <RoleGroup legend="规则管理角色" offered={settings.rulebookRoles} roles={roles} setRoles={setRoles}>
        规则管理员提交、试运行并批准本机关的容错办法规则，不办理、不查阅案件；同时勾选“系统管理员”则管理全系统的规则。
      </RoleGroup>
      <RoleGroup legend="组织部门角色" offered={settings.organisationRoles} roles={roles} setRoles={setRoles}>
        接收容错认定结论的组织部门：按干部姓名和单位（或当事人账号）查询其结论及结果运用，不查阅、不办理案件；每次查询均记入访问日志。
      </RoleGroup>
      <RoleGroup legend="当事人账户" offered={settings.partyRoles} roles={roles} setRoles={setRoles}>
        被调查对象本人或其所在单位的账户：只能查看绑定到本账户的案件，在线提交申请、陈述和申诉；不能与工作人员角色同时选择。
      </RoleGroup>
      {errors.roles ? <span className="field-error">{errors.roles}</span> : null}
      <div className="field">
        <label htmlFor="sub">用户标识</label>
        <input id="sub" value={sub} onChange={(e) => setSub(e.target.value)} autoComplete="username" aria-invalid={errors.sub ? true : undefined} />
        {errors.sub ? <span className="field-error">{errors.sub}</span> : null}
      </div>
      <div className="field">
        <label htmlFor="name">姓名</label>
        <input id="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" aria-invalid={errors.name ? true : undefined} />
        {errors.name ? <span className="field-error">{errors.name}</span> : null}
      </div>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      <button type="submit" className="primary">
        登录
      </button>
    </form>
  );
}

export function SignIn({ expired }: { expired: string | undefined }) {
  const [settings, setSettings] = useState<SignInSettings>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api
      .signInSettings()
      .then(async (s) => {
        if (s.mode === 'oidc') await finishOidcSignIn(s);
        setSettings(s);
      })
      .catch((err: Error) => setError(err instanceof ApiError ? err.problem.detail : err.message));
  }, []);

  return (
    <main id="main" className="signin">
      <PageTitle>登录容错免责办案工作台</PageTitle>
      {expired ? <p role="alert" className="warning">{expired}</p> : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {!settings && !error ? <Loading what="登录方式" /> : null}
      {settings?.mode === 'oidc' ? (
        <div className="card narrow">
          <p>使用本单位统一身份认证登录（{new URL(settings.issuer).host}）。</p>
          <button type="button" className="primary" onClick={() => void startOidcSignIn(settings).catch((err: Error) => setError(err.message))}>
            统一身份认证登录
          </button>
        </div>
      ) : null}
      {settings?.mode === 'development' ? <DevelopmentSignIn settings={settings} /> : null}
      {settings?.mode === 'none' ? <p className="warning">本系统未配置工作台的登录方式（OIDC_CLIENT_ID）。请联系系统管理员。</p> : null}
    </main>
  );
}
