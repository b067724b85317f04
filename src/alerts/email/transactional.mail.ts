import { randomUUID } from "node:crypto";
import type { SendMail } from "../../routes/app-env.js";
import { type EmailChannelOptions, createMailSender } from "./email.channel.js";

/**
 * Transactional e-mail on Node (sign-in links): the alert e-mail's transport, SMTP_URL or an
 * `.eml` file per message in MAIL_OUTBOX_DIR. A failure is thrown, for the caller to log: these
 * messages are not queued or retried (the user asks for a new link).
 */
export function createSendMail(options: EmailChannelOptions): SendMail {
  const send = createMailSender(options);
  return async (mail) => {
    const key = `mail-${randomUUID()}`;
    const result = await send(
      { from: options.from, to: mail.to, subject: mail.subject, text: mail.text },
      key,
    );
    if (!result.ok) throw new Error(`e-mail to ${mail.to} not sent: ${result.error}`);
  };
}
