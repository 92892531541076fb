import { Resend } from 'resend';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
  /** The outbox id: the provider drops a second send with the same key. */
  idempotencyKey: string;
}

export class MailSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

export interface Mailer {
  /** 'resend' really sends; 'none' means no provider is configured and mail stays in the outbox. */
  readonly kind: 'resend' | 'none';
  send(mail: OutgoingMail): Promise<{ providerMessageId: string }>;
}

export const noMailer: Mailer = {
  kind: 'none',
  async send() {
    throw new MailSendError('no mail provider configured (RESEND_API_KEY is not set)', false);
  },
};

export function resendMailer(apiKey: string, opts: { baseUrl?: string; timeoutMs?: number } = {}): Mailer {
  const client = new Resend(apiKey, opts.baseUrl ? { baseUrl: opts.baseUrl } : undefined);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    kind: 'resend',
    async send(mail) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new MailSendError(`mail provider timed out after ${timeoutMs} ms`, true)), timeoutMs);
      });
      try {
        const result = await Promise.race([
          client.emails.send(
            {
              from: mail.from,
              to: [mail.to],
              subject: mail.subject,
              html: mail.html,
              text: mail.text,
              attachments: mail.attachments?.map((a) => ({
                filename: a.filename,
                content: a.contentBase64,
                contentType: a.contentType,
              })),
            },
            { idempotencyKey: mail.idempotencyKey },
          ),
          timeout,
        ]);
        if (result.error) {
          const status = (result.error as { statusCode?: number | null }).statusCode ?? null;
          // 429 and 5xx (and network failures, status null) are worth retrying; 4xx are not.
          const retryable = status === null || status === 429 || status >= 500;
          throw new MailSendError(`mail provider error ${status ?? 'network'}: ${result.error.name}`, retryable);
        }
        return { providerMessageId: result.data?.id ?? '' };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
