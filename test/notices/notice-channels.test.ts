/**
 * Notices leave by every channel the case has: the inbox always, e-mail to a
 * party with an address (received here by a real SMTP server), and the
 * authority's own system by a signed webhook. A retry sends nothing twice; a
 * channel that keeps failing is retried, then the responsible officer is told
 * and the case goes on.
 */
import type { NotifyRequest } from '../../domain/case/contract';
import type { NoticeSettings } from '../../activities/notices';
import { emailChannel } from '../../services/notices/email';
import { deliverNotice } from '../../services/notices/deliver';
import { signWebhook, verifyWebhookSignature, webhookChannel, DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../services/notices/webhook';
import { saveCaseContacts } from '../../store/case-contacts';
import { notificationsForCase } from '../../store/notifications';
import { eventually } from '../support/eventually';
import { CaseDriver, officer, supervisor, withCaseWorker } from '../support/case-driver';
import { startSmtpServer, startWebhookReceiver, type TestSmtpServer, type TestWebhookReceiver } from '../support/notice-receivers';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const SECRET = 'webhook-secret-webhook-secret-0123456789';
const SUBJECT_EMAIL = 'chen@example.cn';

let smtp: TestSmtpServer;
let hook: TestWebhookReceiver;
beforeAll(async () => {
  [smtp, hook] = await Promise.all([startSmtpServer(), startWebhookReceiver()]);
});
afterAll(async () => {
  await Promise.all([smtp?.close(), hook?.close()]);
});
beforeEach(() => {
  smtp.messages.length = 0;
  smtp.refuse.clear();
  hook.received.length = 0;
});

/** A worker whose notices also go by e-mail to the test SMTP server and by webhook to the test receiver. */
function withChannels(name: string, fn: (taskQueue: string, notices: NoticeSettings) => Promise<void>): Promise<void> {
  const notices: NoticeSettings = {
    channels: [emailChannel({ url: smtp.url, from: 'jw@yangjiang.example.cn' }), webhookChannel({ url: hook.url, secret: SECRET })],
    maxAttempts: 3,
  };
  return withCaseWorker(suite.env, suite.db, name, (tq) => fn(tq, notices), { notices });
}

/** A Yangjiang application accepted the same day: the acceptance notice goes to the applicant (二(三)2). */
async function decideAcceptance(tq: string) {
  const c = await CaseDriver.open(suite.env, suite.db, tq, 'yangjiang', { input: { route: 'application', level: 'county', raisedItems: ['审批程序简化'] } });
  await saveCaseContacts(suite.db, {
    caseId: c.input.caseId,
    authority: c.input.authority,
    responsible: { sub: officer.sub, name: officer.name },
    addresses: { subject: { email: SUBJECT_EMAIL } },
  });
  const today = await c.today();
  await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '书面申诉' });
  await c.act('decideAcceptance', { accepted: true, decidedOn: today }, supervisor);
  // The step ends once its notices are out (or handed to the officer).
  await eventually(async () => expect((await c.state()).stage).not.toBe('acceptance'), 60_000);
  return c;
}

describe('Notice by e-mail (SMTP)', () => {
  it('reaches a party with an address once, in Chinese, and is recorded as sent; a retry sends nothing more', async () => {
    await withChannels('smtp', async (tq, settings) => {
      const c = await decideAcceptance(tq);
      expect(smtp.messages).toHaveLength(1);
      const [mail] = smtp.messages;
      expect(mail!.to).toMatchObject({ value: [{ address: SUBJECT_EMAIL }] });
      expect(mail!.subject).toBe('容错免责申请已受理');
      expect(mail!.text).toContain(c.input.caseId);
      expect(mail!.headers.get('x-rongcuo-delivery')).toBe(`${c.input.caseId}:acceptance:applicant:email`);

      const rows = await notificationsForCase(suite.db, c.input.caseId);
      expect(rows.filter((n) => n.channel === 'email')).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
      // The parties' notices (the staff are told of their work in their inboxes too, never by e-mail without an address).
      expect(rows.filter((n) => n.channel === 'inbox' && (n.recipient as { kind: string }).kind === 'party')).toEqual([expect.objectContaining({ recipient: { kind: 'party', party: 'subject' }, status: 'delivered' })]);

      // What a retried activity would do: find the delivery done and send nothing.
      const again: NotifyRequest = {
        caseId: c.input.caseId,
        idempotencyKey: `${c.input.caseId}:acceptance:applicant`,
        recipient: { kind: 'party', party: 'subject' },
        subject: '容错免责申请已受理',
        body: 'retry',
      };
      await deliverNotice({ db: suite.db, channels: settings.channels, maxAttempts: 3, authorityOf: async () => c.input.authority }, again, { number: 2, heartbeat: () => undefined });
      expect(smtp.messages).toHaveLength(1);
      await c.handle.terminate('test done');
    });
  });

  it('is retried with backoff while the server refuses, then the responsible officer is told and the case goes on', async () => {
    smtp.refuse.add(SUBJECT_EMAIL);
    await withChannels('smtp-down', async (tq) => {
      const c = await decideAcceptance(tq);
      expect(smtp.messages).toHaveLength(0);
      const rows = await notificationsForCase(suite.db, c.input.caseId);
      expect(rows.find((n) => n.channel === 'email')).toMatchObject({ status: 'failed', attempts: 3 });
      const escalation = rows.find((n) => n.subject.startsWith('【送达异常】'));
      expect(escalation).toMatchObject({ channel: 'inbox', recipient: { kind: 'officer', sub: officer.sub } });
      expect(escalation!.body).toContain(SUBJECT_EMAIL);
      expect(escalation!.body).toContain('3 次');
      await c.handle.terminate('test done');
    });
  });
});

describe('Notice by webhook to the authority’s own system', () => {
  it('posts every notice of the case once, signed so that the receiver can verify it, and a tampered body does not verify', async () => {
    await withChannels('webhook', async (tq) => {
      const c = await decideAcceptance(tq);
      // The parties' notices, all delivered by now (a staff member's notice of its work may still be on its way).
      const posted = hook.received.filter((r) => JSON.parse(r.body).caseId === c.input.caseId && JSON.parse(r.body).recipient.kind === 'party');
      const inbox = (await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.channel === 'inbox' && (n.recipient as { kind: string }).kind === 'party');
      expect(posted).toHaveLength(inbox.length);
      expect(new Set(posted.map((r) => r.headers[DELIVERY_HEADER])).size).toBe(posted.length);
      for (const request of posted) {
        const signed = { signature: request.headers[SIGNATURE_HEADER] as string, timestamp: request.headers[TIMESTAMP_HEADER] as string, body: request.body };
        expect(verifyWebhookSignature(SECRET, signed)).toBe(true);
        expect(verifyWebhookSignature(SECRET, { ...signed, body: request.body.replace('受理', '驳回') })).toBe(false);
        expect(verifyWebhookSignature('another-secret-another-secret-0123456', signed)).toBe(false);
      }
      expect(posted.map((r) => JSON.parse(r.body))).toEqual([
        expect.objectContaining({ delivery: `${c.input.caseId}:acceptance:applicant:webhook`, recipient: { kind: 'party', party: 'subject' }, subject: '容错免责申请已受理' }),
      ]);
      await c.handle.terminate('test done');
    });
  });

  it('refuses a signature older than five minutes, so a captured request cannot be replayed later', () => {
    const body = '{"caseId":"x"}';
    const timestamp = Math.floor(Date.now() / 1000) - 600;
    expect(verifyWebhookSignature(SECRET, { signature: signWebhook(SECRET, timestamp, body), timestamp: String(timestamp), body })).toBe(false);
    expect(verifyWebhookSignature(SECRET, { signature: signWebhook(SECRET, timestamp + 600, body), timestamp: String(timestamp + 600), body })).toBe(true);
  });
});
