// The Stats function's figures: a card per currency (with the period's taxes and withholdings), breakdowns by category
// and status, and the top suppliers.
import { el, fill } from './dom.js';
import { count, date, money, percent } from './format.js';

const invoices = (n) => `${count(n)} invoice${n === 1 ? '' : 's'}`;

/** One card per currency of GET /dashboard. Each figure carries data-figure and the API's raw value in data-value. */
export function renderCards(container, dashboard) {
  if (dashboard.currencies.length === 0) {
    fill(container, el('p', { class: 'empty' }, 'No invoices in this period yet. Create one below.'));
    return;
  }
  fill(container, dashboard.currencies.map(card));
}

function card(figures) {
  const currency = figures.currency;
  const change = figures.change_percent;
  const direction = change === null ? '' : change > 0 ? 'up' : change < 0 ? 'down' : '';
  return el('article', { class: 'card', 'data-currency': currency, 'aria-labelledby': `card-${currency}` },
    el('h3', { id: `card-${currency}` }, `Total in ${currency}`, el('span', { class: 'currency-code' }, invoices(figures.count))),
    el('div', { class: 'total', 'data-figure': 'total', 'data-value': figures.total }, money(figures.total, currency)),
    el('dl', {},
      figure('Invoices', 'count', figures.count, count(figures.count)),
      figure('Average', 'average', figures.average, money(figures.average, currency)),
      figure('Change vs previous', 'change', change, el('span', { class: `change ${direction}` },
        direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : '', percent(change)),
        el('small', {}, `previously ${money(figures.previous.total, currency)}`)),
      figure('Pending', 'pending', figures.pending.total, money(figures.pending.total, currency),
        el('small', { 'data-figure': 'pending-count', 'data-value': figures.pending.count }, invoices(figures.pending.count))),
      figure('Overdue', 'overdue', figures.overdue.total, el('span', { class: figures.overdue.count > 0 ? 'overdue-figure' : '' }, money(figures.overdue.total, currency)),
        el('small', { 'data-figure': 'overdue-count', 'data-value': figures.overdue.count }, invoices(figures.overdue.count))),
      // Neither void nor archived invoices, whatever the period's filter; credit notes subtract (GET /taxes splits them).
      figure('Taxes', 'taxes', figures.taxes, money(figures.taxes, currency), el('small', {}, 'charged by suppliers')),
      figure('Withholdings', 'withholdings', figures.withholdings, money(figures.withholdings, currency), el('small', {}, 'withheld from them'))));
}

function figure(label, name, value, ...shown) {
  return el('div', {},
    el('dt', {}, label),
    el('dd', { 'data-figure': name, 'data-value': value === null ? 'null' : value }, shown));
}

/** A list of labelled bars: rows [{ name, count, total }], sorted by total. */
export function renderBreakdown(container, rows, currency, nameOf) {
  if (rows.length === 0) {
    fill(container, el('p', { class: 'empty' }, 'Nothing in this period.'));
    return;
  }
  const largest = Math.max(...rows.map((row) => Number(row.total)), 0);
  const sorted = [...rows].sort((a, b) => Number(b.total) - Number(a.total));
  fill(container, el('ul', { class: 'breakdown' }, sorted.map((row) => {
    const share = largest === 0 ? 0 : (Number(row.total) / largest) * 100;
    return el('li', { 'data-key': nameOf(row), 'data-count': row.count, 'data-total': row.total },
      el('span', { class: 'name' }, nameOf(row) || '(none)', ' ', el('span', { class: 'count' }, `${count(row.count)}`)),
      el('span', { class: 'num' }, money(row.total, currency)),
      el('span', { class: 'meter', 'aria-hidden': 'true' }, el('span', { 'data-share': share.toFixed(1) })));
  })));
  // Widths set through the CSSOM: the page's content security policy allows no inline style attributes.
  for (const bar of container.querySelectorAll('[data-share]')) bar.style.width = `${bar.dataset.share}%`;
}

/** The top suppliers of one currency as a table. */
export function renderSuppliers(container, providers, currency) {
  if (providers.length === 0) {
    fill(container, el('p', { class: 'empty' }, 'Nothing in this period.'));
    return;
  }
  fill(container, el('table', { class: 'data' },
    el('caption', { class: 'visually-hidden' }, `Top suppliers in ${currency}`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Supplier'), el('th', { scope: 'col', class: 'num' }, 'Invoices'), el('th', { scope: 'col', class: 'num' }, 'Total'))),
    el('tbody', {}, providers.map((provider) => el('tr', { 'data-provider': provider.provider },
      el('td', {}, provider.provider, el('div', { class: 'muted' },
        provider.nit ? el('span', { class: 'nit' }, `NIT ${provider.nit}`) : null,
        provider.nit && provider.last_invoice_date ? ' · ' : null,
        provider.last_invoice_date ? `last ${date(provider.last_invoice_date)}` : null)),
      el('td', { class: 'num' }, count(provider.count)),
      el('td', { class: 'num' }, money(provider.total, currency)))))));
}
