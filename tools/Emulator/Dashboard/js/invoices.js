// The invoice list: filters as the Invoices function's GET / takes them, keyset paging with its cursors, who recorded
// and last changed each invoice, credit and debit notes and DIAN documents marked, and a button on each supplier that
// opens the invoice in full.
import { call, describeFailure } from './api.js';
import { el, fill } from './dom.js';
import { date, member, money, today } from './format.js';

const pageSize = 10;

export class InvoiceList {
  constructor({ form, rows, previous, next, label, error, onOpen }) {
    Object.assign(this, { form, rows, previous, next, label, error });
    // cursors[i] is the cursor that fetches page i (null for the first), under the filters applied with them: paging
    // keeps those, not whatever is typed in the form since (a cursor belongs to the filters that made it).
    this.cursors = [null];
    this.applied = this.filters();
    this.page = 0;
    form.addEventListener('submit', (event) => { event.preventDefault(); this.reload(); });
    form.addEventListener('reset', () => setTimeout(() => this.reload()));
    previous.addEventListener('click', () => this.show(this.page - 1));
    next.addEventListener('click', () => this.show(this.page + 1));
    rows.addEventListener('click', (event) => {
      const opener = event.target.closest('[data-open]');
      if (opener) onOpen(opener.dataset.open);
    });
  }

  /** Back to the first page with the form's filters. */
  reload() {
    this.cursors = [null];
    this.applied = this.filters();
    return this.show(0);
  }

  /** The page shown, again, after an invoice on it changed. */
  refresh() {
    return this.show(this.page);
  }

  filters() {
    const data = new FormData(this.form);
    return {
      status: data.get('status'),
      currency: String(data.get('currency') ?? '').trim().toUpperCase(),
      q: String(data.get('q') ?? '').trim(),
      date_from: data.get('date_from'),
      date_to: data.get('date_to'),
      overdue: data.get('overdue') === 'true',
    };
  }

  async show(page) {
    this.error.hidden = true;
    this.rows.setAttribute('aria-busy', 'true');
    try {
      const { body } = await call('invoices', '/', { query: { ...this.applied, limit: pageSize, cursor: this.cursors[page] } });
      this.page = page;
      this.cursors[page + 1] = body.next_cursor;
      this.cursors.length = page + 2;
      this.render(body.data);
    } catch (failure) {
      this.error.textContent = failureText(failure);
      this.error.hidden = false;
    } finally {
      this.rows.removeAttribute('aria-busy');
    }
  }

  render(invoices) {
    const now = today();
    if (invoices.length === 0) {
      fill(this.rows, el('tr', {}, el('td', { colspan: 8, class: 'empty' }, 'No invoices match.')));
    } else {
      fill(this.rows, invoices.map((invoice) => row(invoice, now)));
    }
    this.previous.disabled = this.page === 0;
    this.next.disabled = !this.cursors[this.page + 1];
    this.label.textContent = `Page ${this.page + 1}`;
  }
}

function row(invoice, now) {
  const overdue = invoice.status === 'pending' && invoice.due_date && invoice.due_date < now;
  return el('tr', { 'data-id': invoice.id, 'data-status': invoice.status, 'data-currency': invoice.currency, 'data-created-by': invoice.created_by,
    'data-kind': invoice.kind, 'data-document': invoice.document_sha256 ? 'true' : null },
    el('td', { class: 'num' }, date(invoice.date)),
    el('td', {},
      el('button', { type: 'button', class: 'link-button open', 'data-open': invoice.id, 'aria-label': `Open ${invoice.provider} ${invoice.number ?? ''}`.trim() }, invoice.provider),
      invoice.nit ? el('div', { class: 'muted nit' }, `NIT ${invoice.nit}`) : null),
    el('td', {}, invoice.number ?? '',
      invoice.kind !== 'invoice' ? [' ', el('span', { class: `badge ${invoice.kind}` }, invoice.kind === 'credit_note' ? 'credit note' : 'debit note')] : null,
      invoice.document_sha256 ? el('div', { class: 'muted source', title: 'Came in as a DIAN electronic document' }, 'DIAN XML') : null),
    el('td', {}, invoice.category),
    el('td', {}, el('span', { class: `badge ${invoice.status}` }, invoice.status), overdue ? [' ', el('span', { class: 'badge overdue' }, 'overdue')] : null),
    el('td', { class: 'num' }, invoice.due_date ? date(invoice.due_date) : ''),
    el('td', { class: 'num', 'data-amount': invoice.amount }, money(invoice.amount, invoice.currency)),
    el('td', { class: 'who' }, breakable(member(invoice.created_by, invoice.created_by_email)),
      // Version 1 is the invoice as recorded; anything later was a change, perhaps by another member.
      invoice.version > 1 ? el('div', { class: 'muted' }, 'changed by ', breakable(member(invoice.updated_by, invoice.updated_by_email))) : null));
}

// The column is narrow: an email may break before its @, never inside a word.
function breakable(name) {
  const at = name.indexOf('@');
  return at > 0 ? [name.slice(0, at), el('wbr'), name.slice(at)] : name;
}

function failureText(failure) {
  const errors = failure.problem?.errors;
  if (errors) return Object.entries(errors).map(([field, messages]) => `${field}: ${messages.join(' ')}`).join(' · ');
  return describeFailure(failure);
}
