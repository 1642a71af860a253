// Small DOM helpers shared by the page's modules.

/** An element with attributes (on* become listeners, true becomes an empty attribute) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

let uid = 0;
/** A page-unique id for label/aria wiring. */
export const nextId = (prefix) => `${prefix}-${++uid}`;

const SVG = 'http://www.w3.org/2000/svg';
// Icons are drawn, not emoji: a browser without an emoji font would show empty boxes.
const PATHS = {
  success: ['M9 12.5l2 2 4-4.5', 'circle'],
  warning: ['M12 7v5l3 2', 'circle'],
  danger: ['M12 4L2.5 20h19L12 4z', 'M12 10v4', 'M12 17.2v.1'],
  info: ['M12 11v5', 'M12 7.8v.1', 'circle'],
  neutral: ['M8 12h8', 'circle'],
  bell: ['M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z', 'M10 20a2 2 0 0 0 4 0'],
  error: ['M12 7v6', 'M12 16.2v.1', 'circle'],
};

/** A decorative icon; the text next to it always says the same in words. */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `icon icon-${name}`);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of PATHS[name] || PATHS.neutral) {
    const shape = document.createElementNS(SVG, d === 'circle' ? 'circle' : 'path');
    if (d === 'circle') {
      shape.setAttribute('cx', '12');
      shape.setAttribute('cy', '12');
      shape.setAttribute('r', '9');
    } else {
      shape.setAttribute('d', d);
    }
    svg.append(shape);
  }
  return svg;
}

/** Text only for screen readers. */
export const hidden = (text) => el('span', { class: 'visually-hidden' }, text);
