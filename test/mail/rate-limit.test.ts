import { describe, expect, it } from "vitest";
import { RateLimitedTransport, SendRateLimiter } from "../../shared/mail/rate-limit.ts";
import type { MailTransport, OutgoingMail } from "../../shared/mail/transport.ts";

/** Virtual milliseconds: sleeps wait in a queue until run() moves time to them, earliest first. */
function virtualTime() {
  let t = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let seq = 0;
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ at: t + ms, seq: seq++, resolve });
      }),
    advance: (ms: number) => {
      t += ms;
    },
    async run(): Promise<void> {
      await settle();
      while (timers.length > 0) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers.shift();
        if (!next) break;
        t = Math.max(t, next.at);
        next.resolve();
        await settle();
      }
    },
  };
}

function recordingTransport(now: () => number, fail?: (n: number) => boolean) {
  const sent: { to: string; at: number }[] = [];
  let calls = 0;
  const transport: MailTransport = {
    name: "recording",
    async send(message: OutgoingMail) {
      const n = calls++;
      if (fail?.(n)) throw Object.assign(new Error("throttled"), { name: "ThrottlingException" });
      sent.push({ to: message.to[0] ?? "", at: now() });
      return { providerId: `id-${n}` };
    },
  };
  return { transport, sent };
}

const mail = (i: number): OutgoingMail => ({
  raw: Buffer.from(`mail ${i}`),
  from: "fristflow@ishoj.example",
  to: [`leder${i}@ishoj.example`],
  messageId: `<${i}@fristflow>`,
});

/** The most sends that started in any half-open window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] ?? 0) - (sorted[from] ?? 0) >= windowMs) from++;
    max = Math.max(max, to - from + 1);
  }
  return max;
}

describe("RateLimitedTransport", () => {
  it("spaces concurrent sends evenly at the rate, in call order", async () => {
    // Prepare: 10 mails a second, 25 sends asked for at the same instant
    const time = virtualTime();
    const inner = recordingTransport(time.now);
    const limited = new RateLimitedTransport(inner.transport, {
      ratePerSecond: 10,
      now: time.now,
      sleep: time.sleep,
    });

    // Act
    const all = Promise.all(Array.from({ length: 25 }, (_, i) => limited.send(mail(i))));
    await time.run();
    const results = await all;

    // Assess: one every 100 ms from 0, in the order asked, never more than 10 in a second
    expect(results).toHaveLength(25);
    expect(inner.sent.map((s) => s.at)).toEqual(Array.from({ length: 25 }, (_, i) => i * 100));
    expect(inner.sent.map((s) => s.to)).toEqual(
      Array.from({ length: 25 }, (_, i) => `leder${i}@ishoj.example`),
    );
    expect(
      maxInWindow(
        inner.sent.map((s) => s.at),
        1000,
      ),
    ).toBe(10);
    expect(limited.name).toBe("recording");
  });

  it("lets a burst through at once, then holds the rate", async () => {
    // Prepare
    const time = virtualTime();
    const inner = recordingTransport(time.now);
    const limited = new RateLimitedTransport(inner.transport, {
      ratePerSecond: 10,
      burst: 5,
      now: time.now,
      sleep: time.sleep,
    });

    // Act
    const all = Promise.all(Array.from({ length: 12 }, (_, i) => limited.send(mail(i))));
    await time.run();
    await all;

    // Assess: 5 at 0 ms, then 100 ms apart; any second holds at most burst + rate - 1 starts
    expect(inner.sent.map((s) => s.at)).toEqual([0, 0, 0, 0, 0, 100, 200, 300, 400, 500, 600, 700]);
    expect(
      maxInWindow(
        inner.sent.map((s) => s.at),
        1000,
      ),
    ).toBeLessThanOrEqual(5 + 10);
  });

  it("refills the bucket only up to its burst after a quiet period", async () => {
    // Prepare: a first burst used up, then ten quiet seconds
    const time = virtualTime();
    const inner = recordingTransport(time.now);
    const limited = new RateLimitedTransport(inner.transport, {
      ratePerSecond: 4,
      burst: 3,
      now: time.now,
      sleep: time.sleep,
    });
    const first = Promise.all([0, 1, 2].map((i) => limited.send(mail(i))));
    await time.run();
    await first;
    time.advance(10_000);

    // Act
    const second = Promise.all(Array.from({ length: 6 }, (_, i) => limited.send(mail(10 + i))));
    await time.run();
    await second;

    // Assess: three at once again (not forty), then 250 ms apart
    expect(inner.sent.slice(3).map((s) => s.at)).toEqual([10_000, 10_000, 10_000, 10_250, 10_500, 10_750]);
  });

  it("passes a failed send's error on, and the failed attempt still used its slot", async () => {
    // Prepare
    const time = virtualTime();
    const inner = recordingTransport(time.now, (n) => n === 0);
    const limited = new RateLimitedTransport(inner.transport, {
      ratePerSecond: 2,
      now: time.now,
      sleep: time.sleep,
    });

    // Act
    const failed = limited.send(mail(0)).catch((err: unknown) => err);
    const ok = limited.send(mail(1));
    await time.run();

    // Assess
    expect(await failed).toMatchObject({ name: "ThrottlingException" });
    await ok;
    expect(inner.sent).toEqual([{ to: "leder1@ishoj.example", at: 500 }]);
  });

  it("waits on real timers when no clock is given", async () => {
    // Prepare: 200 a second, so 5 sends take at least 20 ms
    const inner = recordingTransport(() => performance.now());
    const limited = new RateLimitedTransport(inner.transport, { ratePerSecond: 200 });
    const started = performance.now();

    // Act
    await Promise.all(Array.from({ length: 5 }, (_, i) => limited.send(mail(i))));

    // Assess (a lower bound only: a busy machine may be slower, never faster)
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
    expect(inner.sent).toHaveLength(5);
  });
});

describe("SendRateLimiter", () => {
  it("refuses a rate or burst that cannot work", () => {
    expect(() => new SendRateLimiter({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => new SendRateLimiter({ ratePerSecond: Number.NaN })).toThrow(/ratePerSecond/);
    expect(() => new SendRateLimiter({ ratePerSecond: 5, burst: 0 })).toThrow(/burst/);
    expect(() => new SendRateLimiter({ ratePerSecond: 5, burst: 1.5 })).toThrow(/burst/);
  });

  it("counts from the real release when a timer fires late, so late sends do not clump", async () => {
    // Prepare: an event loop blocked for the first 1.5 s: no timer fires before then
    const time = virtualTime();
    const lateSleep = (ms: number) => time.sleep(Math.max(ms, 1_500 - time.now()));
    const inner = recordingTransport(time.now);
    const limited = new RateLimitedTransport(inner.transport, {
      ratePerSecond: 10,
      now: time.now,
      sleep: lateSleep,
    });

    // Act
    const all = Promise.all(Array.from({ length: 30 }, (_, i) => limited.send(mail(i))));
    await time.run();
    await all;

    // Assess: never closer than 100 ms, however late the wake-ups (not 15 at once at 1.5 s)
    const at = inner.sent.map((s) => s.at);
    for (let i = 1; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(100);
    expect(maxInWindow(at, 1000)).toBeLessThanOrEqual(10);
  });
});
