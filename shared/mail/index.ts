export {
  type ComposedEmail,
  composeNotificationEmail,
  type MailPerson,
  type NotificationEmailInput,
} from "./compose.ts";
export { pickText, relativeDays } from "./format.ts";
export { calendarUid } from "./ics.ts";
export { MailSendError, type RetryOptions, sendWithRetry } from "./retry.ts";
export { type MailStrings, mailStrings } from "./strings.ts";
export {
  FileOutboxTransport,
  type MailTransport,
  type OutboxRecord,
  type OutgoingMail,
  SesV2Transport,
  type SesV2TransportOptions,
  SmtpTransport,
} from "./transport.ts";
