// Renders the conversation's view models (text, card, form, list) as HTML. Every word shown
// comes from the server, already in the user's language; this module only lays it out.
import { el, hidden, icon, nextId } from './dom.js';

/** How list rows and badges look per status; mirrors the tones the request card uses. */
const STATUS_TONE = {
  draft: 'neutral', sent: 'info', accepted: 'info', answered: 'success',
  further_info_requested: 'warning', closed: 'neutral', withdrawn: 'neutral',
};

/** Parts of a list row's text, as the conversation joins them ("IMI-… · area · to … · status"). */
const SEPARATOR = ' · ';

/**
 * @param {{ strings: () => Record<string,string>, statuses: () => Record<string,string>, lang: () => string,
 *           act: (action: string, values: object, origin: { container: Element, form?: boolean }) => void }} page
 */
export function createRenderer(page) {
  const s = (key) => page.strings()[key] ?? '';

  function badge(text, tone) {
    return el('span', { class: `badge tone-${tone}` }, icon(tone), el('span', {}, text));
  }

  function button(b, container) {
    const node = el('button', {
      type: 'button',
      class: b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : undefined,
      'data-action': b.action,
    }, b.label);
    node.addEventListener('click', () => page.act(b.action, b.value || {}, { container, button: node }));
    return node;
  }

  function text(b) {
    if (!b.tone || b.tone === 'neutral') return el('p', { class: 'text' }, b.text);
    return el('p', { class: `text toned tone-${b.tone}` }, icon(b.tone), el('span', {}, b.text));
  }

  /** A card's picture (a chart), linked to itself at full size; its alt text says what it shows. */
  function image(img) {
    // Our own path or an https link; anything else (javascript:, data:) is not followed.
    if (!/^(\/(?!\/)|https:\/\/)/.test(img.url)) return null;
    const pic = el('img', { src: img.url, alt: img.alt, loading: 'lazy', decoding: 'async' });
    // Through the CSSOM: the page's CSP forbids style attributes.
    pic.style.maxWidth = '100%';
    pic.style.height = 'auto';
    const figure = el('figure', { class: 'card-image' }, el('a', { href: img.url, target: '_blank', rel: 'noopener' }, pic));
    figure.style.margin = '0.75rem 0';
    return figure;
  }

  function card(b) {
    const titleId = nextId('card');
    const node = el('article', { class: 'card', 'aria-labelledby': titleId, 'data-request': b.ref?.requestId, 'data-version': b.ref?.version });
    node.append(el('header', { class: 'card-head' },
      el('h3', { id: titleId }, b.title),
      b.badge ? badge(b.badge.text, b.badge.tone) : null));
    if (b.subtitle) node.append(el('p', { class: 'subtitle' }, b.subtitle));
    const picture = b.image ? image(b.image) : null;
    if (picture) node.append(picture);
    if (b.fields.length) {
      node.append(el('dl', { class: 'fields' }, b.fields.map((f) => el('div', {}, el('dt', {}, f.label), el('dd', {}, f.value)))));
    }
    for (const sec of b.sections || []) {
      node.append(el('section', { class: 'section' },
        el('h4', {}, sec.title),
        sec.note ? el('p', { class: 'note' }, sec.note) : null,
        el('p', { class: 'body' }, sec.body)));
    }
    if (b.actions.length) node.append(el('div', { class: 'actions' }, b.actions.map((a) => button(a, node))));
    return node;
  }

  /** A live "used / allowed" count under a length-limited field; announced only near the limit. */
  function counter(control, max) {
    const out = el('span', { class: 'counter', id: nextId('count') });
    const nf = new Intl.NumberFormat(page.lang());
    const update = () => {
      const used = control.value.length;
      out.textContent = `${nf.format(used)} / ${nf.format(max)} ${s('characters')}`;
      const near = used >= max * 0.9;
      out.classList.toggle('near', near);
      if (near) out.setAttribute('aria-live', 'polite');
      else out.removeAttribute('aria-live');
    };
    control.addEventListener('input', update);
    update();
    return out;
  }

  function field(f) {
    const id = nextId('f');
    const hint = f.hint ? el('span', { class: 'hint', id: `${id}-hint` }, f.hint) : null;
    const error = f.error ? el('span', { class: 'field-error', id: `${id}-err` }, icon('error'), el('span', {}, f.error)) : null;
    const required = f.required ? el('span', { class: 'req' }, el('span', { 'aria-hidden': 'true' }, '*'), hidden(` (${s('required')})`)) : null;

    if (f.type === 'multi-choice') {
      const values = Array.isArray(f.value) ? f.value : f.value ? [f.value] : [];
      const described = [hint && hint.id, error && error.id].filter(Boolean).join(' ') || undefined;
      return el('fieldset', { class: `field choices${f.error ? ' invalid' : ''}`, 'aria-describedby': described },
        el('legend', {}, f.label, required),
        hint,
        el('div', { class: 'options' }, (f.options || []).map((o) => {
          const oid = nextId('o');
          return el('div', { class: 'option' },
            el('input', { type: 'checkbox', id: oid, name: f.name, value: o.value, checked: values.includes(o.value), 'aria-invalid': f.error ? 'true' : undefined }),
            el('label', { for: oid }, o.label));
        })),
        error);
    }

    const common = { id, name: f.name, required: f.required, 'aria-invalid': f.error ? 'true' : undefined };
    let control;
    if (f.type === 'choice') {
      const placeholder = el('option', { value: '' }, '—');
      control = el('select', common, placeholder,
        (f.options || []).map((o) => el('option', { value: o.value, selected: o.value === f.value }, o.label)));
    } else if (f.type === 'long-text') {
      control = el('textarea', { ...common, maxlength: f.maxLength, rows: 5 });
      control.value = typeof f.value === 'string' ? f.value : '';
    } else {
      control = el('input', {
        ...common,
        type: f.type === 'date' ? 'date' : 'text',
        min: f.min,
        maxlength: f.maxLength,
        autocomplete: 'off',
      });
      control.value = typeof f.value === 'string' ? f.value : '';
    }
    const count = f.maxLength && f.type !== 'date' ? counter(control, f.maxLength) : null;
    const described = [hint && hint.id, error && error.id, count && count.id].filter(Boolean).join(' ');
    if (described) control.setAttribute('aria-describedby', described);
    return el('div', { class: `field${f.error ? ' invalid' : ''}${f.type === 'long-text' ? ' wide' : ''}` },
      el('label', { for: id }, f.label, required),
      hint,
      control,
      count || error ? el('div', { class: 'under' }, error, count) : null);
  }

  function form(b) {
    const titleId = nextId('form');
    const node = el('form', { class: 'bot-form', 'aria-labelledby': titleId, novalidate: true });
    node.append(el('h3', { id: titleId }, b.title));
    if (b.intro) node.append(el('p', { class: 'intro' }, b.intro));
    node.append(el('div', { class: 'fields-grid' }, b.fields.map(field)));
    const actions = el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, b.submitLabel));
    if (b.cancel) actions.append(button(b.cancel, node));
    node.append(actions);
    node.addEventListener('submit', (e) => {
      e.preventDefault();
      const values = { ...(b.context || {}) };
      for (const f of b.fields) {
        if (f.type === 'multi-choice') {
          values[f.name] = [...node.querySelectorAll(`input[name="${CSS.escape(f.name)}"]:checked`)].map((i) => i.value);
        } else {
          values[f.name] = node.elements.namedItem(f.name)?.value ?? '';
        }
      }
      page.act(b.action, values, { container: node, form: true });
    });
    return node;
  }

  /** The words of a row, split into aligned columns; a known status word becomes a badge. */
  function cells(textValue) {
    const parts = textValue.split(SEPARATOR);
    const statusByLabel = Object.fromEntries(Object.entries(page.statuses()).map(([k, v]) => [v, k]));
    return parts.map((part, i) => {
      const status = parts.length > 1 ? statusByLabel[part] : undefined;
      if (status) return el('span', { class: 'cell cell-status' }, badge(part, STATUS_TONE[status] || 'neutral'));
      return el('span', { class: `cell${i === 0 && parts.length > 1 ? ' cell-key' : ''}` }, part);
    });
  }

  function list(b) {
    const titleId = nextId('list');
    const node = el('section', { class: 'list', 'aria-labelledby': titleId });
    node.append(el('h3', { id: titleId }, b.title));
    const toned = b.items.filter((i) => i.tone);
    // A checklist (every step either done or to do) gets a progress bar.
    if (b.items.length > 1 && toned.length === b.items.length && toned.every((i) => i.tone === 'success' || i.tone === 'neutral')) {
      const done = toned.filter((i) => i.tone === 'success').length;
      node.append(el('div', { class: 'progress' },
        el('progress', { max: b.items.length, value: done, 'aria-label': s('progress') }),
        el('span', {}, `${done} / ${b.items.length}`)));
    }
    if (!b.items.length) {
      if (b.empty) node.append(el('p', { class: 'empty' }, icon('success'), el('span', {}, b.empty)));
      return node;
    }
    const table = b.items.some((i) => i.text.includes(SEPARATOR) || i.actions?.length || i.detail);
    const columns = Math.max(...b.items.map((i) => i.text.split(SEPARATOR).length));
    const anyTone = b.items.some((i) => i.tone);
    const classes = ['items', table && 'rows', table && anyTone && 'with-markers', table && columns > 1 && 'columns'].filter(Boolean).join(' ');
    const ul = el('ul', { class: classes, role: 'list' });
    // Through the CSSOM: the page's CSP forbids style attributes.
    if (table && columns > 1) ul.style.setProperty('--rest', String(columns - 1));
    for (const item of b.items) {
      ul.append(el('li', { class: item.tone ? `tone-${item.tone}` : undefined },
        table && anyTone ? el('span', { class: 'marker' }, item.tone ? icon(item.tone) : null) : null,
        !table && item.tone ? el('span', { class: 'marker' }, icon(item.tone)) : null,
        el('span', { class: 'main' },
          table ? el('span', { class: 'cells' }, cells(item.text)) : el('span', {}, item.text),
          item.detail ? el('span', { class: 'detail' }, item.detail) : null),
        item.actions?.length ? el('span', { class: 'row-actions' }, item.actions.map((a) => button(a, node))) : null));
    }
    node.append(ul);
    if (b.more) node.append(el('div', { class: 'actions' }, button(b.more, node)));
    return node;
  }

  const BLOCKS = { text, card, form, list };

  return {
    /** The blocks of one reply, each rendered by its kind; an unknown kind is skipped, not fatal. */
    blocks: (reply) => reply.blocks.map((b) => BLOCKS[b.kind]?.(b)).filter(Boolean),
  };
}
