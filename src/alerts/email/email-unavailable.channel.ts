import type { AlertChannel, ChannelResult } from "../channel.port.js";

/**
 * The e-mail channel where e-mail cannot be sent: on Workers without MAIL_API_URL (no SMTP sockets
 * through nodemailer, no file system). Every send fails for good, so the delivery becomes a dead
 * letter the owner can see instead of being retried for a day. Imports nothing Node-only.
 */
export function createUnavailableEmailChannel(
  reason = "e-mail is not configured on Workers (set MAIL_API_URL and MAIL_API_KEY)",
): AlertChannel {
  const result: ChannelResult = { ok: false, retryable: false, error: reason };
  return {
    send: async () => result,
  };
}
