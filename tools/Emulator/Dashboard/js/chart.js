// The monthly trend as an SVG bar chart, drawn here (no chart library), with a table of the same figures for screen readers.
import { el, svg } from './dom.js';
import { compactMoney, count, money, month } from './format.js';

const width = 760;
const height = 260;
const margin = { top: 18, right: 12, bottom: 34, left: 64 };

/** series: [{ month: "2026-03", count, total }], oldest first. */
export function trendChart(series, currency) {
  const totals = series.map((point) => Number(point.total));
  const top = niceCeiling(Math.max(0, ...totals));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const slot = plotWidth / Math.max(series.length, 1);
  const barWidth = Math.max(4, slot * 0.62);
  const y = (value) => margin.top + plotHeight - (top === 0 ? 0 : (value / top) * plotHeight);
  const titleId = `chart-title-${currency}`;
  const first = series[0]?.month;
  const last = series.at(-1)?.month;

  const gridLines = [0, 0.2, 0.4, 0.6, 0.8, 1].map((step) => {
    const value = top * step;
    return svg('g', {},
      svg('line', { class: 'grid-line', x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }),
      svg('text', { x: margin.left - 8, y: y(value) + 4, 'text-anchor': 'end' }, compactMoney(value, currency)));
  });

  const bars = series.map((point, index) => {
    const x = margin.left + index * slot + (slot - barWidth) / 2;
    const total = Number(point.total);
    const barTop = y(total);
    const label = `${month(point.month, true)}: ${money(point.total, currency)}, ${count(point.count)} invoice${point.count === 1 ? '' : 's'}`;
    return svg('g', { 'data-month': point.month },
      svg('rect', { class: 'bar', x, y: barTop, width: barWidth, height: Math.max(0, margin.top + plotHeight - barTop), rx: 3 },
        svg('title', {}, label)),
      svg('text', { x: x + barWidth / 2, y: height - margin.bottom + 16, 'text-anchor': 'middle' },
        month(point.month, index === 0 || point.month.endsWith('-01'))),
      point.count > 0 && series.length <= 18
        ? svg('text', { class: 'value-label', x: x + barWidth / 2, y: barTop - 4, 'text-anchor': 'middle' }, count(point.count))
        : null);
  });

  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': titleId },
    svg('title', { id: titleId }, `Invoice totals in ${currency} per month, ${first ? month(first, true) : ''} to ${last ? month(last, true) : ''}`),
    gridLines, bars);

  const table = el('table', { class: 'visually-hidden' },
    el('caption', {}, `Monthly totals in ${currency}`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Month'), el('th', { scope: 'col' }, 'Invoices'), el('th', { scope: 'col' }, 'Total'))),
    el('tbody', {}, series.map((point) => el('tr', {},
      el('th', { scope: 'row' }, month(point.month, true)), el('td', {}, count(point.count)), el('td', {}, money(point.total, currency))))));

  return el('div', { class: 'chart', 'data-currency': currency }, chart, table);
}

// The axis top: 1, 2, 2.5 or 5 times a power of ten, at or above the largest bar.
function niceCeiling(value) {
  if (value <= 0) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}
