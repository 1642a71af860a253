import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescePerUser } from '../../adapters/slack/slack.sender.ts';
import { SlackSendQueue } from '../../adapters/slack/web-api.slack.ts';

const rateLimited = (retryAfter: number) => Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter });

/** A clock that only moves when the queue sleeps. */
function virtualTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('the send queue after a 429', () => {
  /** A Slack method allowing `perSecond` calls in each second from 0; the rest get 429 until the second is over. */
  function limitedSlack(t: { now(): number }, perSecond: number) {
    const used = new Map<number, number>();
    const starts: number[] = [];
    let refused = 0;
    return {
      starts,
      refused: () => refused,
      call: async () => {
        const second = Math.floor(t.now() / 1000);
        if ((used.get(second) ?? 0) >= perSecond) {
          refused++;
          throw rateLimited(1);
        }
        used.set(second, (used.get(second) ?? 0) + 1);
        starts.push(t.now());
      },
    };
  }

  it('holds calls to the rate that got through, instead of bursting into the limit every second', async () => {
    const t = virtualTime();
    const q = new SlackSendQueue(60_000, t.sleep, t.now);
    const slack = limitedSlack(t, 10);
    // Calls take 10 ms, so a burst uses up a second's allowance in its first tenth.
    const post = () =>
      q.run('D1', async () => {
        await slack.call();
        await t.sleep(10);
      });
    for (let i = 0; i < 60; i++) await post();
    // Bursting, every second would end in a 429; held to the rate, only the first does.
    expect(slack.refused()).toBe(1);
    for (const s of slack.starts) expect(slack.starts.filter((x) => x >= s && x < s + 1000).length).toBeLessThanOrEqual(10);
    // And not much slower than the limit: the 50 calls after the first second's 10 take about 5 s.
    expect(slack.starts.at(-1)! - slack.starts[0]!).toBeLessThan(6_500);
  });

  it('learns nothing from a 429 that came before anything got through', async () => {
    const t = virtualTime();
    const q = new SlackSendQueue(60_000, t.sleep, t.now);
    let limited = false;
    const starts: number[] = [];
    const post = () =>
      q.run('D1', async () => {
        if (!limited) {
          limited = true;
          throw rateLimited(1);
        }
        starts.push(t.now());
      });
    for (let i = 0; i < 5; i++) await post();
    expect(starts).toEqual([1000, 1000, 1000, 1000, 1000]);
  });
});

describe('App Home refreshes after deliveries', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refresh each user once after a burst, when deliveries have stopped for the quiet time', () => {
    const refreshed: string[] = [];
    const delivered = coalescePerUser((id) => refreshed.push(id), 2_000, 30_000, 10, () => 0.5);
    for (let i = 0; i < 10; i++) {
      delivered('T1:UANNA');
      delivered('T1:UPETER');
      vi.advanceTimersByTime(500);
    }
    expect(refreshed).toEqual([]);
    vi.advanceTimersByTime(1_600);
    expect(refreshed).toEqual(['T1:UANNA', 'T1:UPETER']);
    vi.advanceTimersByTime(60_000);
    expect(refreshed).toHaveLength(2);
  });

  it('refresh a user during a long burst too, once their oldest unshown delivery waited the longest time', () => {
    const refreshed: string[] = [];
    const delivered = coalescePerUser((id) => refreshed.push(id), 2_000, 30_000, 10, () => 0.5);
    delivered('T1:UANNA');
    // Someone else's notifications keep going out, so the burst is never quiet.
    for (let t = 0; t < 29_000; t += 1_000) {
      vi.advanceTimersByTime(1_000);
      delivered('T1:UOTHER');
    }
    expect(refreshed).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(refreshed).toEqual(['T1:UANNA']);
  });

  it('refresh no more users a second than Slack lets views.publish serve', () => {
    const refreshed: string[] = [];
    const delivered = coalescePerUser((id) => refreshed.push(id), 2_000, 30_000, 2, () => 0.5);
    for (let i = 0; i < 7; i++) delivered(`T1:U${i}`);
    vi.advanceTimersByTime(2_000);
    expect(refreshed).toEqual(['T1:U0', 'T1:U1']);
    vi.advanceTimersByTime(1_000);
    expect(refreshed).toHaveLength(4);
    vi.advanceTimersByTime(2_000);
    expect(refreshed).toEqual(['T1:U0', 'T1:U1', 'T1:U2', 'T1:U3', 'T1:U4', 'T1:U5', 'T1:U6']);
  });
});
