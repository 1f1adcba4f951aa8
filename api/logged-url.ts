/**
 * A request's URL as the logs keep it. A calendar feed's URL is its
 * credential (calendar programs send no header), and Express matches paths
 * without regard to case and decodes parameters, so `/FEEDS/<token>.ICS` or
 * a token written with percent-escapes reaches the feed as well as the plain
 * form. The log therefore keeps the URL decoded, cut after `/feeds/`, and
 * with every run of 43 or more token characters (a feed token's length, and
 * any other bearer-like secret) replaced, whatever case or escapes it came in.
 */

const TOKEN_LIKE = /[A-Za-z0-9_-]{43,}/g;

export function loggedUrl(url: string): string {
  let readable: string;
  try {
    readable = decodeURIComponent(url);
  } catch {
    readable = url;
  }
  const feeds = /\/feeds\//i.exec(readable);
  const kept = feeds ? `${readable.slice(0, feeds.index + feeds[0].length)}…` : readable;
  return kept.replace(TOKEN_LIKE, '…');
}
