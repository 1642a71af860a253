import type { ChartSpec } from '../app/coordinator/charts.ts';
import type { Light } from '../domain/scoreboard.ts';

/**
 * The scoreboard chart as SVG: one row per authority, one panel of horizontal bars per
 * indicator, threshold lines across each panel. Every bar also carries its value and the
 * light's symbol as text, and a legend names the lights, so nothing rests on colour alone.
 */

export const CHART_WIDTH = 1000;
const MARGIN = 24;
const HEADER = 104;
const ROW = 30;
const FOOTER = 56;
const LABEL_WIDTH = 260;
const GAP = 16;
const PANEL_WIDTH = (CHART_WIDTH - 2 * MARGIN - LABEL_WIDTH - 2 * GAP) / 3;
const BAR = 18;
const MAX_LABEL = 34;

/** The picture's size for a number of rows: fixed width, height growing with the rows. */
export const chartSize = (rows: number): { width: number; height: number } => ({
  width: CHART_WIDTH,
  height: HEADER + ROW * Math.max(rows, 1) + FOOTER,
});

/** Dark enough for white and black text alike to stay legible beside them (WCAG non-text contrast). */
const FILL: Record<Light, string> = { green: '#2e7d32', amber: '#b35c00', red: '#c62828', none: '#8a8a8a' };
const SYMBOL: Record<Light, string> = { green: '✔', amber: '⚠', red: '✖', none: '–' };
const FONT = "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\"";

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const fmt = (n: number): string => String(Math.round(n * 10) / 10);

function textEl(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}" ${FONT} ${attrs}>${escapeXml(content)}</text>`;
}

export function scoreboardSvg(spec: ChartSpec): string {
  const { width, height } = chartSize(spec.rows.length);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    textEl(MARGIN, 36, clip(spec.title, 90), 'font-size="20" font-weight="bold" fill="#1a1a1a"'),
    textEl(MARGIN, 60, clip(spec.subtitle, 120), 'font-size="13" fill="#444444"'),
  ];
  const panelX = (i: number) => MARGIN + LABEL_WIDTH + i * (PANEL_WIDTH + GAP);
  const top = HEADER;
  const bottom = HEADER + ROW * Math.max(spec.rows.length, 1);
  spec.columns.forEach((col, i) => {
    const x = panelX(i);
    out.push(textEl(x, top - 14, clip(col.label, 32), 'font-size="13" font-weight="bold" fill="#1a1a1a"'));
    out.push(`<line x1="${fmt(x)}" y1="${top - 4}" x2="${fmt(x)}" y2="${bottom}" stroke="#555555" stroke-width="1"/>`);
  });
  spec.rows.forEach((row, r) => {
    const y = top + r * ROW;
    if (r % 2 === 1) out.push(`<rect x="${MARGIN}" y="${y}" width="${width - 2 * MARGIN}" height="${ROW}" fill="#f3f3f3"/>`);
    out.push(textEl(MARGIN, y + ROW / 2 + 5, clip(row.label, MAX_LABEL), 'font-size="13" fill="#1a1a1a"'));
    row.cells.forEach((cell, i) => {
      const col = spec.columns[i];
      if (!col) return;
      const x = panelX(i);
      const share = cell.value === null ? 0 : Math.max(0, Math.min(1, cell.value / col.max));
      // Room for the value written after the bar.
      const length = share * (PANEL_WIDTH - 70);
      if (length > 0) out.push(`<rect x="${fmt(x)}" y="${y + (ROW - BAR) / 2}" width="${fmt(length)}" height="${BAR}" fill="${FILL[cell.light]}"/>`);
      const label = cell.value === null ? SYMBOL[cell.light] : `${SYMBOL[cell.light]} ${cell.text}`;
      out.push(textEl(x + length + 6, y + ROW / 2 + 5, label, 'font-size="12" fill="#1a1a1a"'));
    });
  });
  spec.columns.forEach((col, i) => {
    for (const mark of col.marks) {
      if (mark <= 0 || mark >= col.max) continue;
      const x = panelX(i) + (mark / col.max) * (PANEL_WIDTH - 70);
      out.push(`<line x1="${fmt(x)}" y1="${top - 4}" x2="${fmt(x)}" y2="${bottom}" stroke="#1a1a1a" stroke-width="1" stroke-dasharray="4 3"/>`);
      out.push(textEl(x, bottom + 14, fmt(mark), 'font-size="11" fill="#444444" text-anchor="middle"'));
    }
  });
  let lx = MARGIN;
  const ly = bottom + 38;
  for (const item of spec.legend) {
    out.push(`<rect x="${lx}" y="${ly - 11}" width="12" height="12" fill="${FILL[item.light]}"/>`);
    const label = clip(item.text, 40);
    out.push(textEl(lx + 18, ly, label, 'font-size="12" fill="#1a1a1a"'));
    lx += 18 + label.length * 7.5 + 24;
  }
  out.push('</svg>');
  return out.join('\n');
}
