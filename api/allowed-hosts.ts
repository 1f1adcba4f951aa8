/**
 * Which Host a request may name. A page on another site can make a browser
 * talk to an API on this machine by pointing its own name at 127.0.0.1 (DNS
 * rebinding): the browser then treats the API as that site's and reads its
 * answers. Such a request still names the attacker's host, so the API answers
 * only the names it is reached by: the host of PUBLIC_BASE_URL and the
 * loopback names (any port), and 421 Misdirected Request otherwise.
 */
import type { RequestHandler } from 'express';
import { Problem } from './problem';

export const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '::1'] as const;

/** The hostname of a Host header (no port, no brackets, lower case, without a trailing dot), or undefined when it is not one. */
export function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/i.exec(host.trim());
  const name = match?.[1] ?? match?.[2];
  return name?.toLowerCase().replace(/\.$/, '');
}

/** The names the API answers to: PUBLIC_BASE_URL's host and the loopback names. */
export function allowedHostnames(publicBaseUrl: string): string[] {
  return [...new Set([hostnameOf(new URL(publicBaseUrl).host)!, ...LOOPBACK_HOSTNAMES])];
}

export function hostAllowList(hostnames: readonly string[]): RequestHandler {
  const allowed = new Set(hostnames.map((h) => h.toLowerCase()));
  return (req, _res, next) => {
    const name = hostnameOf(req.headers.host);
    if (name !== undefined && (allowed.has(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name))) return next();
    throw new Problem({
      status: 421,
      code: 'misdirected_request',
      title: 'Misdirected request',
      detail: {
        zh: `本服务不以该主机名应答（Host 须为 ${[...allowed].join('、')} 之一）`,
        en: `This service does not answer to that host name (Host must be one of ${[...allowed].join(', ')})`,
      },
    });
  };
}
