// The web chat page: sign-in, the conversation, quick actions, the language switcher and live
// notifications. Labels come from GET /api/chat/config, everything else from the replies.
import { el, hidden, icon } from './dom.js';
import { createRenderer } from './render.js';
import { startLive } from './live.js';

const $ = (id) => document.getElementById(id);
const log = $('log');

const state = { config: null, lang: 'en', me: null, stopLive: null, busy: false };
const s = (key) => state.config?.strings[key] ?? '';

async function api(method, path, body) {
  let res;
  try {
    res = await fetch(`/api/chat${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
    });
  } catch {
    throw Object.assign(new Error(s('networkError')), { status: 0 });
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data.error || s('networkError')), { status: res.status });
  return data;
}

const renderer = createRenderer({
  strings: () => state.config?.strings ?? {},
  statuses: () => state.config?.statuses ?? {},
  lang: () => state.lang,
  act,
});

/** The language's own name for itself, as people look for it in a list: "Deutsch", "Magyar". */
function selfName(code) {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) || code;
    return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
  } catch {
    return code;
  }
}

function applyStrings() {
  document.documentElement.lang = state.lang;
  document.title = s('title');
  const text = {
    skip: 'skipToMessage', tagline: 'tagline', 'lang-label': 'language', signout: 'signOut', 'q-new': 'newRequest',
    'q-inbox': 'inbox', 'q-help': 'help', 'signin-title': 'signInTitle', 'signin-notice': 'signInNotice',
    'signin-user-label': 'user', 'signin-submit': 'signIn', 'message-label': 'message', send: 'send',
  };
  for (const [id, key] of Object.entries(text)) $(id).textContent = s(key);
  $('message').placeholder = s('placeholder');
  $('chat').setAttribute('aria-label', s('conversation'));
  $('quick').setAttribute('aria-label', s('quickActions'));
  $('lang').value = state.lang;
  if (state.me) showWho();
  renderSignInChoices();
}

async function loadConfig(lang) {
  state.config = await api('GET', `/config${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`);
  state.lang = state.config.lang;
  applyStrings();
}

/** The page follows the conversation: a reply in another language brings the labels along. */
async function followLanguage(lang) {
  if (lang && lang !== state.lang) await loadConfig(lang).catch(() => {});
}

function setupLanguages() {
  const select = $('lang');
  select.replaceChildren(...state.config.languages.map((code) => el('option', { value: code, lang: code }, selfName(code))));
  select.value = state.lang;
  // Arrow keys on a closed select change it at every press: wait until the choice settles, so
  // a keyboard user passing over languages does not switch the conversation at each step.
  let settle = null;
  select.addEventListener('change', () => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      if (select.value === state.lang) return;
      if (state.me) say(`language ${select.value}`);
      else loadConfig(select.value);
    }, 600);
  });
}

function showWho() {
  $('who').replaceChildren(hidden(`${s('signedInAs')} `), el('strong', {}, state.me.name), el('span', { class: 'authority' }, state.me.authority));
}

// ---- the conversation -------------------------------------------------------------------

function timeOf(at) {
  return new Intl.DateTimeFormat(state.lang, { hour: '2-digit', minute: '2-digit' }).format(at ? new Date(at) : new Date());
}

/** Appends a message; replies to what the user did take the focus, live notifications do not. */
function show(reply, { from = 'bot', notification = false, focus = false, at } = {}) {
  const who = notification ? s('notification') : from === 'me' ? s('you') : s('bot');
  const head = notification
    ? el('p', { class: 'msg-head' }, icon('bell'), el('span', {}, who), el('time', {}, timeOf(at)))
    : hidden(`${who}:`);
  const msg = el('div', { class: `msg ${from}${notification ? ' notification' : ''}`, lang: reply.lang || undefined }, head, renderer.blocks(reply));
  log.append(msg);
  msg.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  if (focus) {
    const target = msg.querySelector('[aria-invalid="true"]') || msg.querySelector('form input, form select, form textarea') || msg;
    if (target === msg) msg.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  }
  return msg;
}

function pending() {
  const dots = el('div', { class: 'msg bot pending', 'aria-hidden': 'true' }, el('span'), el('span'), el('span'));
  log.append(dots);
  return dots;
}

function freeze(container, frozen) {
  container?.querySelectorAll('button, input, select, textarea').forEach((c) => { c.disabled = frozen; });
}

/** Sends one turn and shows the answer; the card or form it came from is frozen or marked outdated. */
async function turn(body, origin) {
  if (state.busy) return;
  state.busy = true;
  log.setAttribute('aria-busy', 'true');
  const wait = pending();
  if (origin?.form) freeze(origin.container, true);
  else if (origin?.button) origin.button.disabled = true;
  try {
    const reply = await api('POST', '/turn', body);
    wait.remove();
    await followLanguage(reply.lang);
    if (reply.replacesCard && origin?.container?.classList.contains('card')) {
      freeze(origin.container, true);
      origin.container.append(el('p', { class: 'outdated' }, icon('info'), el('span', {}, s('updated'))));
    } else if (origin?.button) {
      origin.button.disabled = false;
    }
    show(reply, { focus: true });
  } catch (err) {
    wait.remove();
    if (origin?.form) freeze(origin.container, false);
    else if (origin?.button) origin.button.disabled = false;
    show({ blocks: [{ kind: 'text', text: err.message, tone: 'danger' }] }, { focus: true });
    if (err.status === 401) location.reload();
  } finally {
    state.busy = false;
    log.removeAttribute('aria-busy');
  }
}

function act(action, values, origin) {
  return turn({ action: { id: action, values } }, origin);
}

function say(text) {
  if (state.busy) return;
  show({ blocks: [{ kind: 'text', text }] }, { from: 'me' });
  return turn({ text });
}

function setLive(mode) {
  $('live').hidden = false;
  $('live').dataset.state = mode;
  $('live-text').textContent = s(mode === 'live' ? 'live' : 'offline');
}

async function startChat(me) {
  state.me = me;
  $('signin').hidden = true;
  $('chat').hidden = false;
  $('quick').hidden = false;
  $('who').hidden = false;
  $('signout').hidden = false;
  $('skip').hidden = false;
  showWho();
  const welcome = await api('POST', '/welcome');
  await followLanguage(welcome.lang);
  show(welcome, { focus: false });
  state.stopLive = startLive({
    api,
    onItem: (item) => show(item.reply, { notification: true, at: item.at }),
    onState: setLive,
  });
  $('message').focus();
}

// ---- sign-in -----------------------------------------------------------------------------

let choices = [];

function renderSignInChoices() {
  const select = $('signin-user');
  if (!choices.length) return;
  const keep = select.value;
  const regions = new Intl.DisplayNames([state.lang], { type: 'region' });
  const groups = new Map();
  for (const u of choices) {
    const country = u.country ? regions.of(u.country) : '';
    const key = `${country} — ${u.authority}`;
    if (!groups.has(key)) groups.set(key, el('optgroup', { label: key }));
    const roles = u.roles.map((r) => s(`role.${r}`) || r).join(', ');
    groups.get(key).append(el('option', { value: u.login }, `${u.name} (${roles})`));
  }
  select.replaceChildren(...groups.values());
  if (keep) select.value = keep;
}

async function startSignIn() {
  $('signin').hidden = false;
  if (!state.config.signInEnabled) {
    $('signin-form').hidden = true;
    return;
  }
  choices = await api('GET', '/users');
  renderSignInChoices();
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('signin-error').textContent = '';
    try {
      await api('POST', '/session', { login: $('signin-user').value });
      await startChat(await api('GET', '/session'));
    } catch (err) {
      $('signin-error').textContent = err.message;
    }
  });
  $('signin-user').focus();
}

// ---- always there ------------------------------------------------------------------------

$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('message').value.trim();
  if (!text || state.busy) return;
  $('message').value = '';
  say(text);
});

$('quick').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-action]');
  if (b) act(b.dataset.action, {}, null);
});

$('signout').addEventListener('click', async () => {
  state.stopLive?.();
  await api('DELETE', '/session').catch(() => {});
  location.reload();
});

(async () => {
  await loadConfig();
  setupLanguages();
  const me = await api('GET', '/session').catch(() => null);
  if (me) await startChat(me);
  else await startSignIn();
})();
