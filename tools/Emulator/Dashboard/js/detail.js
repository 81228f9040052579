// One invoice in full: who recorded it and who last changed it, its history (GET /{id}/history, newest first), and,
// for an editor or owner, the changes the page offers (mark paid, archive, restore), each sent with the ETag shown.
import { call, describeFailure } from './api.js';
import { el, fill } from './dom.js';
import { date, dateTime, member, money } from './format.js';

const historyPageSize = 20;

export class InvoiceDetail {
  constructor(section, onChanged) {
    this.section = section;
    this.onChanged = onChanged;
    this.writable = false;
    this.title = section.querySelector('#detail-title');
    this.fields = section.querySelector('#detail-fields');
    this.actions = section.querySelector('#detail-actions');
    this.error = section.querySelector('#detail-error');
    this.history = section.querySelector('#detail-history');
    this.older = section.querySelector('#history-older');
    section.querySelector('#detail-close').addEventListener('click', () => this.close());
    this.older.addEventListener('click', () => this.loadHistory(this.nextCursor).catch((failure) => this.showError(failure)));
  }

  /** Shows the invoice, with the history's first page. */
  async open(id) {
    this.id = id;
    this.section.hidden = false;
    this.error.hidden = true;
    this.section.setAttribute('aria-busy', 'true');
    try {
      const { body: invoice, headers } = await call('invoices', `/${id}`);
      this.etag = headers.get('ETag');
      this.render(invoice);
      fill(this.history);
      await this.loadHistory(null);
      this.title.focus();
    } catch (failure) {
      this.showError(failure);
    } finally {
      this.section.removeAttribute('aria-busy');
    }
  }

  /** Hides the invoice and forgets what was shown: another member opening it next must not see this one's buttons. */
  close() {
    this.id = null;
    this.section.hidden = true;
    delete this.section.dataset.id;
    fill(this.fields);
    fill(this.actions);
    fill(this.history);
  }

  async loadHistory(cursor) {
    const { body } = await call('invoices', `/${this.id}/history`, { query: { limit: historyPageSize, cursor } });
    this.history.append(...body.data.map(entry));
    this.nextCursor = body.next_cursor;
    this.older.hidden = !body.next_cursor;
  }

  render(invoice) {
    this.title.textContent = invoice.number ? `${invoice.provider} · ${invoice.number}` : invoice.provider;
    this.section.dataset.id = invoice.id;
    fill(this.fields,
      field('Amount', 'amount', money(invoice.amount, invoice.currency)),
      field('Status', 'status', invoice.archived_at ? `${invoice.status}, archived ${dateTime(invoice.archived_at)}` : invoice.status),
      field('Date', 'date', date(invoice.date)),
      field('Due', 'due_date', date(invoice.due_date)),
      field('Category', 'category', invoice.category),
      field('Payment method', 'payment_method', invoice.payment_method ?? '—'),
      invoice.nit ? field('NIT', 'nit', invoice.nit) : null,
      invoice.description ? field('Description', 'description', invoice.description) : null,
      field('Recorded by', 'created_by', member(invoice.created_by, invoice.created_by_email), el('small', {}, dateTime(invoice.created_at))),
      field('Last changed by', 'updated_by', member(invoice.updated_by, invoice.updated_by_email), el('small', {}, `${dateTime(invoice.updated_at)} · version ${invoice.version}`)));
    // A viewer gets no buttons: the functions would answer 403 role-too-low and write nothing.
    fill(this.actions, this.writable ? actions(invoice).map(({ name, label, send }) => {
      const button = el('button', { type: 'button', class: 'secondary', 'data-action': name }, label);
      button.addEventListener('click', () => this.change(send));
      return button;
    }) : []);
  }

  async change(send) {
    this.error.hidden = true;
    for (const button of this.actions.querySelectorAll('button')) button.disabled = true;
    try {
      await send(this.id, { 'If-Match': this.etag });
      await Promise.all([this.open(this.id), this.onChanged()]);
    } catch (failure) {
      this.showError(failure);
      for (const button of this.actions.querySelectorAll('button')) button.disabled = false;
    }
  }

  showError(failure) {
    this.error.textContent = describeFailure(failure);
    this.error.hidden = false;
  }
}

// What an editor or owner may do with the invoice as it stands.
function actions(invoice) {
  if (invoice.archived_at) {
    return [{ name: 'restore', label: 'Restore', send: (id, headers) => call('invoices', `/${id}/restore`, { method: 'POST', headers }) }];
  }
  return [
    invoice.status === 'pending'
      ? { name: 'paid', label: 'Mark paid', send: (id, headers) => call('invoices', `/${id}`, { method: 'PATCH', body: { status: 'paid' }, headers }) }
      : null,
    { name: 'archive', label: 'Archive', send: (id, headers) => call('invoices', `/${id}`, { method: 'DELETE', headers }) },
  ].filter(Boolean);
}

function field(label, name, ...shown) {
  return el('div', {}, el('dt', {}, label), el('dd', { 'data-field': name }, shown));
}

// One history entry: when, what, by whom and the version it made; for a change, each field's old and new value (a
// create or an import records every field, which the invoice above already shows).
function entry(change) {
  const recorded = change.operation === 'create' || change.operation === 'import';
  return el('li', { 'data-operation': change.operation, 'data-version': change.version, 'data-member': change.member_id },
    el('div', {}, el('strong', {}, change.operation), ` by ${member(change.member_id, change.member_email)}`,
      el('span', { class: 'muted' }, ` · ${dateTime(change.at)} · v${change.version}`)),
    recorded ? null : el('ul', { class: 'changes' }, change.changes.map((item) =>
      el('li', { 'data-field': item.field }, el('code', {}, item.field), ': ', shown(item.old), ' → ', shown(item.new)))));
}

// A field's value as the API wrote it; a timestamp (archived_at) in the reader's time zone.
function shown(value) {
  if (value === null) return el('span', { class: 'muted' }, 'none');
  if (typeof value !== 'string') return JSON.stringify(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) ? dateTime(value) : value;
}
