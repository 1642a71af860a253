// Live notifications: server-sent events from /api/chat/events, and polling /api/chat/feed as
// the fallback when a browser or a proxy does not let an event stream through.

const POLL_MS = 5000;

/**
 * Starts listening. `onItem` gets each new feed item once, in order; `onState` gets 'live' or
 * 'offline'. Returns a function that stops everything (sign-out).
 */
export function startLive({ api, onItem, onState }) {
  let cursor = null;
  let source = null;
  let timer = null;
  let stopped = false;

  const take = (item) => {
    if (cursor !== null && item.id <= cursor) return;
    cursor = item.id;
    onItem(item);
  };

  async function poll() {
    if (stopped) return;
    try {
      if (cursor === null) {
        // No stream ever told us where "now" is: skip what is already there, it is in the inbox.
        let last = 0;
        for (;;) {
          const page = await api('GET', `/feed?after=${last}`);
          if (page.items.length === 0) break;
          last = page.last;
        }
        cursor = last;
      } else {
        const { items } = await api('GET', `/feed?after=${cursor}`);
        items.forEach(take);
      }
      onState('live');
    } catch (err) {
      onState('offline');
      if (err.status === 401) return stop();
    }
    timer = setTimeout(poll, POLL_MS);
  }

  function connect() {
    source = new EventSource(`/api/chat/events${cursor !== null ? `?after=${cursor}` : ''}`);
    source.addEventListener('ready', (e) => {
      const { last } = JSON.parse(e.data);
      if (cursor === null || last > cursor) cursor = last;
      onState('live');
    });
    source.addEventListener('notification', (e) => {
      take(JSON.parse(e.data));
      onState('live');
    });
    source.addEventListener('error', () => {
      // CONNECTING: the browser reconnects by itself and sends Last-Event-ID. CLOSED: the
      // server refused the stream (a proxy, or a non-200), so poll instead.
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        onState('offline');
        poll();
      } else {
        onState('offline');
      }
    });
  }

  function stop() {
    stopped = true;
    source?.close();
    clearTimeout(timer);
  }

  if ('EventSource' in window) connect();
  else poll();
  return stop;
}
