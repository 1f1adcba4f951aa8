/**
 * The outside channels a notice can take besides the in-app inbox: e-mail to
 * a party with an address, and the authority's own system by webhook.
 */
export interface OutgoingNotice {
  /** The delivery's idempotency key: the same notice to the same recipient by the same channel. */
  deliveryId: string;
  caseId: string;
  address: string;
  recipient: unknown;
  subject: string;
  body: string;
}

export interface Channel {
  readonly name: 'email' | 'webhook';
  /**
   * Whether a notice may be sent again when a crashed try may already have
   * sent it: yes where the receiver drops repeats of a delivery id (webhook),
   * no where every send reaches a person (e-mail).
   */
  readonly resendWhenUncertain: boolean;
  /** Where this channel sends a notice to `recipient`, or undefined when it does not carry it. */
  addressFor(recipient: { party?: string | undefined; email?: string | undefined }): string | undefined;
  send(notice: OutgoingNotice): Promise<void>;
  close?(): void;
}

export class ChannelError extends Error {
  override name = 'ChannelError';
}
