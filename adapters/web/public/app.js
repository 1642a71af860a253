// The web chat page: renders the conversation's view models (text, card, form, list) as HTML.
// Every string shown comes from the server's replies; the page itself only lays them out.

const $ = (id) => document.getElementById(id);
const log = $('log');
let feedCursor = 0;
let feedTimer = null;

async function api(method, path, body) {
  const res = await fetch(`/api/chat${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data.error || res.statusText), { status: res.status });
  return data;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

function button(b, container) {
  return el('button', {
    type: 'button',
    class: b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : undefined,
    onclick: () => act(b.action, b.value || {}, container),
  }, b.label);
}

function renderText(b) {
  return el('p', { class: b.tone ? `tone-${b.tone}` : undefined }, b.text);
}

function renderCard(b) {
  const card = el('article', { class: 'card', 'data-request': b.ref?.requestId });
  const titleId = nextId('card');
  card.setAttribute('aria-labelledby', titleId);
  card.append(el('h3', { id: titleId }, b.title, b.badge ? el('span', { class: `badge tone-${b.badge.tone}` }, b.badge.text) : null));
  if (b.subtitle) card.append(el('p', { class: 'tone-warning' }, b.subtitle));
  if (b.fields.length) card.append(el('dl', { class: 'fields' }, b.fields.flatMap((f) => [el('dt', {}, f.label), el('dd', {}, f.value)])));
  for (const s of b.sections || []) {
    card.append(el('div', { class: 'section' }, el('h4', {}, s.title), s.note ? el('p', { class: 'note' }, s.note) : null, el('p', {}, s.body)));
  }
  if (b.actions.length) card.append(el('div', { class: 'actions' }, b.actions.map((a) => button(a, card))));
  return card;
}

function renderField(f) {
  const id = nextId('f');
  const hintId = f.hint ? `${id}-hint` : undefined;
  const errId = f.error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  const common = { id, name: f.name, required: f.required, 'aria-describedby': describedBy, 'aria-invalid': f.error ? 'true' : undefined };
  let control;
  if (f.type === 'choice') {
    control = el('select', common, el('option', { value: '' }, '—'),
      (f.options || []).map((o) => el('option', { value: o.value, selected: o.value === f.value }, o.label)));
  } else if (f.type === 'multi-choice') {
    const values = Array.isArray(f.value) ? f.value : f.value ? [f.value] : [];
    return el('fieldset', { class: 'field', 'aria-describedby': describedBy },
      el('legend', {}, f.label),
      (f.options || []).map((o) => {
        const oid = nextId('o');
        return el('div', {}, el('input', { type: 'checkbox', id: oid, name: f.name, value: o.value, checked: values.includes(o.value) }), ' ', el('label', { for: oid }, o.label));
      }),
      f.hint ? el('span', { class: 'hint', id: hintId }, f.hint) : null,
      f.error ? el('span', { class: 'field-error', id: errId }, f.error) : null);
  } else if (f.type === 'long-text') {
    control = el('textarea', { ...common, maxlength: f.maxLength }, f.value || '');
  } else {
    control = el('input', { ...common, type: f.type === 'date' ? 'date' : 'text', value: f.value || '', min: f.min, maxlength: f.maxLength });
  }
  return el('div', { class: 'field' },
    el('label', { for: id }, f.label),
    control,
    f.hint ? el('span', { class: 'hint', id: hintId }, f.hint) : null,
    f.error ? el('span', { class: 'field-error', id: errId }, f.error) : null);
}

function renderForm(b) {
  const form = el('form', { class: 'bot', novalidate: true });
  form.append(el('h3', {}, b.title));
  if (b.intro) form.append(el('p', {}, b.intro));
  for (const f of b.fields) form.append(renderField(f));
  const actions = el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, b.submitLabel));
  if (b.cancel) actions.append(button(b.cancel, form));
  form.append(actions);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = { ...(b.context || {}) };
    for (const f of b.fields) {
      if (f.type === 'multi-choice') values[f.name] = [...form.querySelectorAll(`input[name="${CSS.escape(f.name)}"]:checked`)].map((i) => i.value);
      else values[f.name] = form.elements[f.name]?.value ?? '';
    }
    act(b.action, values, form);
  });
  return form;
}

function renderList(b) {
  const list = el('section', { class: 'list' });
  const titleId = nextId('list');
  list.setAttribute('aria-labelledby', titleId);
  list.append(el('h3', { id: titleId }, b.title));
  if (!b.items.length && b.empty) list.append(el('p', {}, b.empty));
  list.append(el('ul', { class: 'items' }, b.items.map((i) => el('li', { class: i.tone ? `tone-${i.tone}` : undefined },
    el('span', {}, i.text), (i.actions || []).map((a) => button(a, list)), i.detail ? el('span', { class: 'detail' }, i.detail) : null))));
  if (b.more) list.append(el('div', { class: 'actions' }, button(b.more, list)));
  return list;
}

const RENDER = { text: renderText, card: renderCard, form: renderForm, list: renderList };

function show(reply, { from = 'bot', notification = false } = {}) {
  if (reply.lang) document.documentElement.lang = reply.lang;
  const msg = el('div', { class: `msg ${from}${notification ? ' notification' : ''}` }, reply.blocks.map((b) => RENDER[b.kind](b)));
  log.append(msg);
  msg.scrollIntoView({ block: 'start', behavior: 'smooth' });
  // Keyboard users land on what is new: the first field of a form, else the message itself.
  const focusable = msg.querySelector('input, select, textarea') || msg;
  if (focusable === msg) msg.setAttribute('tabindex', '-1');
  focusable.focus({ preventScroll: true });
}

function freeze(container) {
  container?.querySelectorAll('button, input, select, textarea').forEach((c) => { c.disabled = true; });
}

async function act(id, values, container) {
  freeze(container);
  try {
    show(await api('POST', '/turn', { action: { id, values } }));
  } catch (err) {
    show({ blocks: [{ kind: 'text', text: err.message, tone: 'danger' }] });
  }
}

async function say(text) {
  show({ blocks: [{ kind: 'text', text }] }, { from: 'me' });
  try {
    show(await api('POST', '/turn', { text }));
  } catch (err) {
    show({ blocks: [{ kind: 'text', text: err.message, tone: 'danger' }] });
  }
}

async function pollFeed() {
  try {
    const { items, last } = await api('GET', `/feed?after=${feedCursor}`);
    for (const item of items) show(item.reply, { notification: true });
    feedCursor = last;
  } catch {
    // A missed poll is caught up by the next one: the cursor only moves on success.
  }
}

async function startChat(me) {
  $('signin').hidden = true;
  $('chat').hidden = false;
  $('who').hidden = false;
  $('who').textContent = `${me.name} — ${me.authority}`;
  $('signout').hidden = false;
  // Notifications that arrived before this visit are in the inbox; the feed shows what comes next.
  const { last } = await api('GET', '/feed?after=0');
  feedCursor = last;
  show(await api('POST', '/welcome'));
  feedTimer = setInterval(pollFeed, 4000);
  $('message').focus();
}

async function startSignIn(config) {
  $('signin').hidden = false;
  if (!config.signInEnabled) {
    $('signin-form').hidden = true;
    return;
  }
  const users = await api('GET', '/users');
  const select = $('signin-user');
  const groups = new Map();
  for (const u of users) {
    const key = `${u.country} — ${u.authority}`;
    if (!groups.has(key)) groups.set(key, el('optgroup', { label: key }));
    groups.get(key).append(el('option', { value: u.login }, `${u.name} (${u.roles.join(', ')})`));
  }
  select.append(...groups.values());
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('POST', '/session', { login: select.value });
      startChat(await api('GET', '/session'));
    } catch (err) {
      $('signin-error').textContent = err.message;
    }
  });
  select.focus();
}

$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('message').value.trim();
  if (!text) return;
  $('message').value = '';
  say(text);
});

$('signout').addEventListener('click', async () => {
  await api('DELETE', '/session');
  clearInterval(feedTimer);
  location.reload();
});

function applyStrings(config) {
  const s = config.strings;
  document.documentElement.lang = config.lang;
  document.title = s.title;
  $('signin-title').textContent = s.signInTitle;
  $('signin-notice').textContent = s.signInNotice;
  document.querySelector('label[for="signin-user"]').textContent = s.user;
  document.querySelector('#signin-form button').textContent = s.signIn;
  $('signout').textContent = s.signOut;
  document.querySelector('label[for="message"]').textContent = s.message;
  document.querySelector('#composer button').textContent = s.send;
  $('message').placeholder = s.placeholder;
  $('chat').setAttribute('aria-label', s.conversation);
}

(async () => {
  const config = await api('GET', '/config');
  applyStrings(config);
  try {
    startChat(await api('GET', '/session'));
  } catch {
    startSignIn(config);
  }
})();
