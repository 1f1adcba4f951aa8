/**
 * The signed-in user: the API's Bearer token, kept in sessionStorage (gone
 * when the tab closes; nothing in localStorage, nothing in a URL), and its
 * claims as the page shows them. The API checks the token on every request;
 * what the page hides by role is convenience, not security.
 */
import * as oauth from 'oauth4webapi';

export interface User {
  sub: string;
  name: string;
  roles: string[];
  authority: string;
  /** Seconds since the epoch, if the token expires. */
  exp?: number;
}

const TOKEN_KEY = 'rongcuo.token';
const OIDC_KEY = 'rongcuo.oidc';
const listeners = new Set<() => void>();
/** Why the user was sent back to sign in, if the API refused its token. */
let expired: string | undefined;

function decode(token: string): User | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const text = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(text) as Partial<User>;
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return undefined;
    return { sub: claims.sub, name: claims.name ?? claims.sub, roles: claims.roles, authority: claims.authority ?? '', ...(claims.exp ? { exp: claims.exp } : {}) };
  } catch {
    return undefined;
  }
}

function changed() {
  for (const l of listeners) l();
}

export const session = {
  token(): string | undefined {
    const token = sessionStorage.getItem(TOKEN_KEY) ?? undefined;
    const user = token ? decode(token) : undefined;
    if (user?.exp && user.exp * 1000 < Date.now()) return undefined;
    return token;
  },
  user(): User | undefined {
    const token = this.token();
    return token ? decode(token) : undefined;
  },
  signIn(token: string) {
    expired = undefined;
    sessionStorage.setItem(TOKEN_KEY, token);
    changed();
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    changed();
  },
  /** The API said the token is no longer good: back to the sign-in page, saying why. */
  expire(reason = '登录已失效，请重新登录。') {
    expired = reason;
    sessionStorage.removeItem(TOKEN_KEY);
    changed();
  },
  wasExpired: () => expired,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The snapshot React reads: the token string (stable between changes). */
export const sessionSnapshot = () => sessionStorage.getItem(TOKEN_KEY) ?? '';

// ---- OIDC: authorization code with PKCE, against the configured issuer ----------------------------

interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
  audience: string | null;
}

const redirectUri = () => `${location.origin}/`;

async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { algorithm: 'oidc' }));
}

/** Sends the browser to the issuer's sign-in page; it comes back to `/` with a code. */
export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  const as = await discover(settings.issuer);
  if (!as.authorization_endpoint) throw new Error('认证服务未提供 authorization_endpoint');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(OIDC_KEY, JSON.stringify({ verifier, state }));
  const target = new URL(as.authorization_endpoint);
  target.searchParams.set('client_id', settings.clientId);
  target.searchParams.set('redirect_uri', redirectUri());
  target.searchParams.set('response_type', 'code');
  target.searchParams.set('scope', settings.scope);
  target.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  target.searchParams.set('code_challenge_method', 'S256');
  target.searchParams.set('state', state);
  if (settings.audience) target.searchParams.set('audience', settings.audience);
  location.assign(target.href);
}

/** On return from the issuer: trades the code for a token and takes the code out of the address bar. */
export async function finishOidcSignIn(settings: OidcSettings): Promise<boolean> {
  const here = new URL(location.href);
  if (!here.searchParams.has('code') && !here.searchParams.has('error')) return false;
  const saved = JSON.parse(sessionStorage.getItem(OIDC_KEY) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(OIDC_KEY);
  history.replaceState(null, '', '/');
  if (!saved) throw new Error('登录状态已失效，请重新登录');
  const as = await discover(settings.issuer);
  const client: oauth.Client = { client_id: settings.clientId };
  const params = oauth.validateAuthResponse(as, client, here, saved.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), saved.verifier);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  session.signIn(result.access_token);
  return true;
}
