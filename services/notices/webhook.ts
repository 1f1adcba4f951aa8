/**
 * Notices to the authority's own system by webhook. Each POST is signed:
 * X-Rongcuo-Signature is `sha256=` and the hex HMAC-SHA256, under the shared
 * secret, of `<timestamp>.<body>`, with the timestamp (Unix seconds) sent in
 * X-Rongcuo-Timestamp. The receiver verifies with `verifyWebhookSignature`
 * and drops a repeated X-Rongcuo-Delivery, which is what lets a crashed try be
 * resent safely.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChannelError, type Channel, type OutgoingNotice } from './channels';

export const SIGNATURE_HEADER = 'x-rongcuo-signature';
export const TIMESTAMP_HEADER = 'x-rongcuo-timestamp';
export const DELIVERY_HEADER = 'x-rongcuo-delivery';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * True when `signature` was made with `secret` over this body and timestamp,
 * and the timestamp is within `toleranceSeconds` of now (a replayed old
 * request fails).
 */
export function verifyWebhookSignature(
  secret: string,
  request: { signature: string | undefined; timestamp: string | undefined; body: string },
  options: { nowMs?: number; toleranceSeconds?: number } = {},
): boolean {
  const timestamp = Number(request.timestamp);
  if (!request.signature || !Number.isInteger(timestamp)) return false;
  const age = Math.abs((options.nowMs ?? Date.now()) / 1000 - timestamp);
  if (age > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, request.body));
  const given = Buffer.from(request.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookChannel(settings: { url: string; secret: string; timeoutMs?: number }): Channel {
  return {
    name: 'webhook',
    resendWhenUncertain: true,
    // The authority's system receives every notice of its cases, whoever it is for.
    addressFor: () => settings.url,
    async send(notice: OutgoingNotice) {
      const body = JSON.stringify({
        delivery: notice.deliveryId,
        caseId: notice.caseId,
        recipient: notice.recipient,
        subject: notice.subject,
        body: notice.body,
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(notice.address, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          [DELIVERY_HEADER]: notice.deliveryId,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(settings.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(settings.timeoutMs ?? 15_000),
      });
      if (!response.ok) throw new ChannelError(`webhook answered ${response.status}`);
    },
  };
}
