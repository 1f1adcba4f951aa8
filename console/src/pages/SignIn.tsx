/**
 * Sign-in: through the configured OIDC issuer (authorization code with PKCE),
 * or, where none is configured, the development sign-in, which says so.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError, type SignInSettings } from '../api';
import { ROLE_NAMES, fieldMessage } from '../labels';
import { finishOidcSignIn, session, startOidcSignIn } from '../session';
import { ErrorNote, Loading, PageTitle } from '../util';

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
        <strong>开发环境登录。</strong>本系统未配置 OIDC 统一身份认证服务，因此可任选角色和所属机关登录，仅供开发和测试使用；生产环境请配置认证服务（JWKS_URL、TOKEN_ISSUER、OIDC_CLIENT_ID）。
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
        <legend>角色</legend>
        {settings.roles.map((r) => (
          <label key={r} className="inline">
            <input type="checkbox" name="roles" value={r} checked={roles.includes(r)} onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />
            {ROLE_NAMES[r] ?? r}
          </label>
        ))}
        {errors.roles ? <span className="field-error">{errors.roles}</span> : null}
      </fieldset>
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

export function SignIn({ expired }: { expired: boolean }) {
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
      {expired ? <p role="alert" className="warning">登录已失效，请重新登录。</p> : null}
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
