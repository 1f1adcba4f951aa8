/** Notices by e-mail (SMTP, through nodemailer) to parties whose address the case holds. */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Channel, OutgoingNotice } from './channels';

export interface EmailSettings {
  url: string;
  from: string;
  /** Test servers present self-signed certificates; production leaves this on. */
  rejectUnauthorized?: boolean;
}

export function emailChannel(settings: EmailSettings): Channel {
  const transport = nodemailer.createTransport({
    url: settings.url,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    tls: { rejectUnauthorized: settings.rejectUnauthorized ?? true },
  });
  return {
    name: 'email',
    resendWhenUncertain: false,
    addressFor: (recipient) => recipient.email,
    async send(notice: OutgoingNotice) {
      await transport.sendMail({
        from: settings.from,
        to: notice.address,
        subject: notice.subject,
        text: `${notice.body}\n\n（案件 ${notice.caseId}）`,
        // The same delivery always carries the same Message-ID, so a receiving system can tell a repeat.
        messageId: `<${createHash('sha256').update(notice.deliveryId).digest('hex').slice(0, 32)}@rongcuo>`,
        headers: { 'X-Rongcuo-Delivery': notice.deliveryId },
      });
    },
    close: () => transport.close(),
  };
}
