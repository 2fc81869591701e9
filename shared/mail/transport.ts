/**
 * Where composed mail goes: SES v2 in AWS, a folder of .eml files locally, or an SMTP server
 * when one is configured. All three send the composed MIME bytes unchanged, so what a tester
 * opens from the outbox is what SES would have delivered.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { createTransport, type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type { Clock } from "../time/clock.ts";
import { Temporal } from "../time/temporal.ts";

export interface OutgoingMail {
  raw: Buffer;
  /** Envelope sender (bare address). */
  from: string;
  /** Envelope recipients (bare addresses). */
  to: string[];
  /** The Message-ID header of `raw`, with angle brackets. */
  messageId: string;
}

export interface MailTransport {
  /** For logs and audit records ("ses", "outbox", "smtp"). */
  name: string;
  send(message: OutgoingMail): Promise<{ providerId: string }>;
}

export interface SesV2TransportOptions {
  /** SES configuration set, for event publishing (bounces, complaints) and dedicated IPs. */
  configurationSetName?: string;
}

/**
 * SES v2 SendEmail with raw content. Give it a client created with `maxAttempts: 1`: retries
 * belong to sendWithRetry, and the SDK's own three attempts inside each of its five would
 * multiply into fifteen sends against a throttled account.
 */
export class SesV2Transport implements MailTransport {
  readonly name = "ses";

  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesV2TransportOptions = {},
  ) {}

  async send(message: OutgoingMail): Promise<{ providerId: string }> {
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: message.from,
        Destination: { ToAddresses: message.to },
        Content: { Raw: { Data: message.raw } },
        ...(this.options.configurationSetName
          ? { ConfigurationSetName: this.options.configurationSetName }
          : {}),
      }),
    );
    // SES replaces the Message-ID header with its own; its MessageId is what bounce and
    // complaint events refer to, so that is the id worth keeping.
    if (!out.MessageId) throw new Error("SES SendEmail returned no MessageId");
    return { providerId: out.MessageId };
  }
}

/** What the local outbox reports for each stored message (the DynamoDB outbox item is made from it). */
export interface OutboxRecord {
  messageId: string;
  from: string;
  to: string[];
  /** File name inside the outbox folder; also the providerId. */
  fileName: string;
  path: string;
  /** ISO instant. */
  storedAt: string;
  bytes: number;
}

/** `<...@host>` made safe for a file name on every OS (no `<>:/\\` and the like). */
function fileSafe(messageId: string): string {
  return messageId
    .replace(/^<|>$/g, "")
    .replace(/[^A-Za-z0-9._@-]/g, "_")
    .slice(0, 200);
}

/**
 * Local delivery: each message becomes `<timestamp>-<messageId>.eml` (sortable by time, opens in
 * any mail client), and `onStored` lets the local stack record it for the dashboard.
 */
export class FileOutboxTransport implements MailTransport {
  readonly name = "outbox";
  private readonly clock: Clock;

  constructor(
    private readonly dir: string,
    private readonly onStored?: (record: OutboxRecord) => Promise<void>,
    clock?: Clock,
  ) {
    this.clock = clock ?? { now: () => Temporal.Now.instant() };
  }

  async send(message: OutgoingMail): Promise<{ providerId: string }> {
    const storedAt = this.clock.now();
    const stamp = storedAt.toString({ fractionalSecondDigits: 3 }).replace(/[-:.]/g, "");
    const fileName = `${stamp}-${fileSafe(message.messageId)}.eml`;
    const path = join(this.dir, fileName);
    // Mail holds names and addresses: owner-only, like the rest of the local data.
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Write then rename, so a dashboard listing the folder never opens a half-written file.
    const partial = `${path}.partial`;
    await writeFile(partial, message.raw, { mode: 0o600 });
    await rename(partial, path);
    await this.onStored?.({
      messageId: message.messageId,
      from: message.from,
      to: [...message.to],
      fileName,
      path,
      storedAt: storedAt.toString(),
      bytes: message.raw.length,
    });
    return { providerId: fileName };
  }
}

/** Any SMTP server (a municipality's relay, or Mailpit/MailHog on a laptop). */
export class SmtpTransport implements MailTransport {
  readonly name = "smtp";
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(options: SMTPTransport.Options | string) {
    this.transporter = createTransport(options);
  }

  async send(message: OutgoingMail): Promise<{ providerId: string }> {
    // An explicit envelope: the relay must not re-derive recipients from headers (Bcc, Reply-To).
    await this.transporter.sendMail({ envelope: { from: message.from, to: message.to }, raw: message.raw });
    // Unlike SES, an SMTP relay keeps our Message-ID header, so that is the id to trace with.
    return { providerId: message.messageId };
  }

  close(): void {
    this.transporter.close();
  }
}
