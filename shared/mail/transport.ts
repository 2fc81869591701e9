/**
 * Where composed mail goes: SES v2 in AWS, a folder of .eml files locally, or an SMTP server
 * when one is configured. All three send the composed MIME bytes unchanged, so what a tester
 * opens from the outbox is what SES would have delivered.
 */
import { createHash, randomUUID } from "node:crypto";
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
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
  /** Envelope copies (bare addresses), as the Cc header of `raw` names them. */
  cc?: string[];
}

/** Everyone the message is delivered to: the recipients and the copies. */
export function envelopeOf(message: OutgoingMail): string[] {
  return [...message.to, ...(message.cc ?? [])];
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
        Destination: {
          ToAddresses: message.to,
          ...(message.cc === undefined || message.cc.length === 0 ? {} : { CcAddresses: message.cc }),
        },
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
  /**
   * True when this Message-ID had been delivered before (a send repeated after a crash between
   * delivery and "mark sent"): no second file was written, and the record is the first one's.
   */
  repeated: boolean;
}

/** `<...@host>` made safe for a file name on every OS (no `<>:/\\` and the like). */
function fileSafe(messageId: string): string {
  return messageId
    .replace(/^<|>$/g, "")
    .replace(/[^A-Za-z0-9._@-]/g, "_")
    .slice(0, 200);
}

/** Where the outbox remembers which Message-IDs it has delivered (hidden, next to the mail). */
const DELIVERED_DIR = ".delivered";

interface DeliveredMarker {
  fileName: string;
  storedAt: string;
}

/**
 * Local delivery: each message becomes `<timestamp>-<messageId>.eml` (sortable by time, opens in
 * any mail client), and `onStored` lets the local stack record it for the dashboard.
 *
 * Delivery is idempotent by Message-ID, as a receiving mail system that drops duplicates would
 * be: notify derives the Message-ID from the notification's key, so a send repeated after a crash
 * (the mail was out, "mark sent" was not) must not leave a second copy. Before the file is
 * written, a marker named by the Message-ID's hash is created exclusively (write to a temporary
 * name, then hard-link: atomic and fails if it exists); a repeat finds it and reports the first
 * file, writing it only if the crash came between the marker and the file.
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
    const fresh: DeliveredMarker = {
      fileName: `${stamp}-${fileSafe(message.messageId)}.eml`,
      storedAt: storedAt.toString(),
    };
    // Mail holds names and addresses: owner-only, like the rest of the local data.
    await mkdir(join(this.dir, DELIVERED_DIR), { recursive: true, mode: 0o700 });
    const earlier = await this.markDelivered(message.messageId, fresh);
    const { fileName, storedAt: at } = earlier ?? fresh;
    const path = join(this.dir, fileName);
    // The first file's size when it is there; otherwise this message is what gets written.
    const firstBytes = earlier === null ? null : await sizeOf(path);
    if (firstBytes === null) {
      // Write then rename, so a dashboard listing the folder never opens a half-written file.
      const partial = `${path}.partial`;
      try {
        await writeFile(partial, message.raw, { mode: 0o600 });
        await rename(partial, path);
      } catch (err) {
        // A full or read-only disk (ENOSPC, EDQUOT, EROFS: retryable, see shared/errors): leave no
        // half-written file. The marker stays, and names the file a retry will write.
        await unlink(partial).catch(() => undefined);
        throw err;
      }
    }
    await this.onStored?.({
      messageId: message.messageId,
      from: message.from,
      to: envelopeOf(message),
      fileName,
      path,
      storedAt: at,
      bytes: firstBytes ?? message.raw.length,
      repeated: earlier !== null,
    });
    return { providerId: fileName };
  }

  /** Creates the Message-ID's marker; if it was there already, returns what it says instead. */
  private async markDelivered(messageId: string, marker: DeliveredMarker): Promise<DeliveredMarker | null> {
    const hash = createHash("sha256").update(messageId).digest("hex");
    const path = join(this.dir, DELIVERED_DIR, `${hash}.json`);
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(marker), { mode: 0o600 });
      await link(temporary, path);
      return null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const earlier = parseMarker(await readFile(path, "utf8"));
      if (earlier !== null) return earlier;
      // An empty or cut-short marker (a disk that filled up under an older version, which wrote
      // it in place) proves no delivery: this one replaces it.
      await writeFile(path, JSON.stringify(marker), { mode: 0o600 });
      return null;
    } finally {
      // A full disk may have left the temporary half-written, or not created it at all.
      await unlink(temporary).catch(() => undefined);
    }
  }
}

function parseMarker(text: string): DeliveredMarker | null {
  try {
    const parsed = JSON.parse(text) as Partial<DeliveredMarker>;
    return typeof parsed.fileName === "string" && typeof parsed.storedAt === "string"
      ? { fileName: parsed.fileName, storedAt: parsed.storedAt }
      : null;
  } catch {
    return null;
  }
}

/** The file's size in bytes, or null when there is no such file. */
async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
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
    await this.transporter.sendMail({
      envelope: { from: message.from, to: envelopeOf(message) },
      raw: message.raw,
    });
    // Unlike SES, an SMTP relay keeps our Message-ID header, so that is the id to trace with.
    return { providerId: message.messageId };
  }

  close(): void {
    this.transporter.close();
  }
}
