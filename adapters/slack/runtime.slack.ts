import { createSlackClient, SlackSendQueue, type SlackApiSettings, type WebClient } from './web-api.slack.ts';

/**
 * One Slack connection per process: the Web API client and the send queue are shared by the
 * events mount and the notification sender, so a 429 seen by one pauses the other too, and a
 * delivered notification can refresh the recipient's App Home.
 */
export interface SlackConnection {
  api: WebClient;
  queue: SlackSendQueue;
  /** Listeners told when a notification reached a user (by externalId). */
  delivered: Set<(externalId: string) => void>;
}

const connections = new Map<string, SlackConnection>();

export function slackConnection(settings: SlackApiSettings): SlackConnection {
  const key = `${settings.apiUrl}\n${settings.botToken}`;
  let c = connections.get(key);
  if (!c) {
    c = { api: createSlackClient(settings), queue: new SlackSendQueue(), delivered: new Set() };
    connections.set(key, c);
  }
  return c;
}

/** Background work started after an ack, so shutdown can wait for it instead of cutting it off. */
export class WorkTracker {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly onError: (err: unknown) => void) {}

  run(work: () => Promise<unknown>): void {
    const p = work().catch(this.onError);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
