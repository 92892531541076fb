import type { Db } from '../db/types';
import type { AppDeps } from '../http/env';
import { renderStatementAttachment, STATEMENT_ATTACHMENT } from '../donors/year-end';
import { AttachmentError, deliverOutbox, type AttachmentRenderer, type DeliveryResult } from './outbox';

/** What draws each kind of attachment the outbox stores as `render`, when its message is sent. */
const RENDERERS: Record<string, AttachmentRenderer> = {
  [STATEMENT_ATTACHMENT]: renderStatementAttachment,
};

export const renderAttachment: AttachmentRenderer = (db, source, message) => {
  const render = RENDERERS[source.kind];
  if (!render) throw new AttachmentError(`no renderer for a ${source.kind} attachment`);
  return render(db, source, message);
};

/** Sends what is due in the outbox with the app's mailer, sender address and attachment renderers. */
export function sendDueMail(db: Db, deps: AppDeps, opts: { limit?: number } = {}): Promise<DeliveryResult> {
  return deliverOutbox(db, { mailer: deps.mailer, clock: deps.clock, from: deps.config.MAIL_FROM, logger: deps.logger, renderAttachment }, opts);
}
