// One invoice in full: what kind of document it is, its taxes, withholdings and what is payable, who recorded it and
// who last changed it, its history (GET /{id}/history, newest first), the original XML of one that came in as a DIAN
// document, and, for an editor or owner, the changes the page offers (mark paid, archive, restore), each sent with the
// ETag shown.
import { call, describeFailure } from './api.js';
import { el, fill } from './dom.js';
import { count, date, dateTime, member, money } from './format.js';

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
    // The invoice a note corrects opens in its place; the original XML downloads.
    this.fields.addEventListener('click', (event) => {
      const opener = event.target.closest('[data-open]');
      if (opener) this.open(opener.dataset.open);
      const download = event.target.closest('[data-download]');
      if (download) this.downloadOriginal(download).catch((failure) => this.showError(failure));
    });
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
    this.invoice = invoice;
    const currency = invoice.currency;
    fill(this.fields,
      invoice.kind !== 'invoice' ? field('Kind', 'kind', el('span', { class: `badge ${invoice.kind}` }, kindName(invoice.kind))) : null,
      invoice.subtotal !== null ? field('Subtotal', 'subtotal', money(invoice.subtotal, currency)) : null,
      field('Amount', 'amount', money(invoice.amount, currency), invoice.taxes.length > 0 ? el('small', {}, 'with taxes') : null),
      invoice.withholdings.length > 0 ? field('Payable', 'payable', money(invoice.payable, currency), el('small', {}, 'after withholdings')) : null,
      invoice.taxes.length > 0 ? wideField('Taxes', 'taxes', taxTable(invoice.taxes, currency, 'Taxes charged')) : null,
      invoice.withholdings.length > 0 ? wideField('Withholdings', 'withholdings', taxTable(invoice.withholdings, currency, 'Withheld from the supplier')) : null,
      adjustments(invoice),
      field('Status', 'status', invoice.archived_at ? `${invoice.status}, archived ${dateTime(invoice.archived_at)}` : invoice.status),
      field('Date', 'date', date(invoice.date)),
      field('Due', 'due_date', date(invoice.due_date)),
      field('Category', 'category', invoice.category),
      field('Payment method', 'payment_method', invoice.payment_method ?? '—'),
      invoice.nit ? field('NIT', 'nit', invoice.nit) : null,
      invoice.description ? field('Description', 'description', invoice.description) : null,
      invoice.refers_to_cufe ? field('Corrects', 'refers_to', invoice.refers_to
        ? el('button', { type: 'button', class: 'link-button', 'data-open': invoice.refers_to }, 'the invoice')
        : el('span', { class: 'muted' }, 'an invoice not recorded yet')) : null,
      invoice.cufe ? wideField(invoice.kind === 'invoice' ? 'CUFE' : 'CUDE', 'cufe', el('code', { class: 'cufe' }, invoice.cufe)) : null,
      invoice.document_sha256 ? wideField('Original', 'document',
        el('button', { type: 'button', class: 'secondary', 'data-download': invoice.id }, 'Download XML'),
        el('small', { class: 'download-result', role: 'status' })) : null,
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

  // GET /{id}/document.xml with the page's token (a plain link could not send it), checked against the invoice's
  // SHA-256, then handed to the browser as a download.
  async downloadOriginal(button) {
    const invoice = this.invoice;
    const result = button.parentElement.querySelector('.download-result');
    button.disabled = true;
    try {
      const { body: xml } = await call('invoices', `/${invoice.id}/document.xml`, { as: 'blob', headers: { Accept: 'application/xml' } });
      const digest = hex(await crypto.subtle.digest('SHA-256', await xml.arrayBuffer()));
      const link = el('a', { href: URL.createObjectURL(xml), download: `${(invoice.number ?? invoice.id).replace(/[^\w.-]+/g, '_')}.xml`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      const verified = digest === invoice.document_sha256;
      result.dataset.sha256 = digest;
      result.dataset.verified = String(verified);
      result.textContent = verified ? `${count(xml.size)} bytes, SHA-256 as recorded` : `${count(xml.size)} bytes, but its SHA-256 differs from the one recorded`;
    } finally {
      button.disabled = false;
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

// A field across the whole width: a table of taxes, a CUFE.
function wideField(label, name, ...shown) {
  return el('div', { class: 'wide' }, el('dt', {}, label), el('dd', { 'data-field': name }, shown));
}

function kindName(kind) {
  return kind === 'credit_note' ? 'credit note' : kind === 'debit_note' ? 'debit note' : kind;
}

// Taxes or withholdings as the API writes them: a line each, with its scheme's name and code, rate, base and amount.
function taxTable(lines, currency, caption) {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data taxes' },
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Tax'), el('th', { scope: 'col', class: 'num' }, 'Rate'),
      el('th', { scope: 'col', class: 'num' }, 'Base'), el('th', { scope: 'col', class: 'num' }, 'Amount'))),
    el('tbody', {}, lines.map((line) => el('tr', { 'data-scheme': line.scheme, 'data-rate': line.rate ?? '', 'data-amount': line.amount },
      el('td', {}, line.name, ' ', el('span', { class: 'muted' }, line.scheme)),
      el('td', { class: 'num' }, line.rate === null ? 'per unit' : `${line.rate} %`),
      el('td', { class: 'num' }, money(line.base, currency)),
      el('td', { class: 'num' }, money(line.amount, currency)))))));
}

// Discounts, charges, prepayments and rounding, only those the invoice has.
function adjustments(invoice) {
  return [['discounts', 'Discounts'], ['charges', 'Charges'], ['prepaid', 'Prepaid'], ['rounding', 'Rounding']]
    .filter(([name]) => invoice[name] !== null && invoice[name] !== undefined)
    .map(([name, label]) => field(label, name, money(invoice[name], invoice.currency)));
}

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

// One history entry: when, what, by whom and the version it made; for a change, each field's old and new value (a
// create, an import or a document's first entry records every field, which the invoice above already shows; a later
// document entry is a note linked to its invoice, a change like any other).
function entry(change) {
  const recorded = change.operation === 'create' || change.operation === 'import' || (change.operation === 'document' && change.version === 1);
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
