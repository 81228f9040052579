// Suppliers' DIAN documents: a ZIP or XML file sent as it is to POST /documents, and each document's outcome as the
// function answers it (created or already recorded, with a button that opens the invoice; refused, with the reasons).
import { ApiError, call, describeFailure } from './api.js';
import { el, fill } from './dom.js';
import { count, money } from './format.js';

export class DocumentUpload {
  constructor(form, { onRecorded, onOpen }) {
    this.form = form;
    this.onRecorded = onRecorded;
    this.file = form.querySelector('#upload-file');
    this.submit = form.querySelector('#upload-submit');
    this.error = form.querySelector('#upload-error');
    this.summary = form.querySelector('#upload-summary');
    this.results = form.querySelector('#upload-results');
    form.addEventListener('submit', (event) => { event.preventDefault(); this.send(); });
    this.results.addEventListener('click', (event) => {
      const opener = event.target.closest('[data-open]');
      if (opener) onOpen(opener.dataset.open);
    });
  }

  async send() {
    const file = this.file.files[0];
    this.error.hidden = true;
    this.summary.textContent = '';
    fill(this.results);
    delete this.form.dataset.outcome;
    if (!file) {
      this.showError('Choose the ZIP or XML file a supplier sent first.');
      return;
    }
    this.submit.disabled = true;
    try {
      const { body } = await call('invoices', '/documents', { method: 'POST', upload: file });
      this.show(body.documents, summary(body));
      this.form.dataset.outcome = body.refused > 0 ? 'partly-refused' : 'recorded';
      if (body.created > 0) await this.onRecorded();
    } catch (failure) {
      const refused = refusedDocuments(failure);
      if (refused) {
        this.show(refused, `Refused: none of the ${refused.length} document${refused.length === 1 ? '' : 's'} could be recorded, and nothing was written.`);
        this.form.dataset.outcome = 'refused';
      } else {
        this.showError(describeFailure(failure));
        this.form.dataset.outcome = 'failed';
      }
    } finally {
      this.submit.disabled = false;
    }
  }

  show(documents, text) {
    this.summary.textContent = text;
    fill(this.results, documents.map(outcome));
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = false;
  }
}

function summary(body) {
  const parts = [`${count(body.created)} created`, `${count(body.existing)} already recorded`, `${count(body.refused)} refused`];
  const skipped = body.skipped_entries > 0 ? `; ${count(body.skipped_entries)} other file${body.skipped_entries === 1 ? '' : 's'} (PDF …) skipped` : '';
  return `${parts.join(', ')}${skipped}.`;
}

// One document's line: its file, what happened, and the invoice it made or found, or every reason it was refused.
function outcome(document) {
  const invoice = document.invoice;
  return el('li', { 'data-status': document.status, 'data-file': document.file, 'data-invoice': invoice?.id ?? null },
    el('div', {}, el('span', { class: `badge ${document.status}` }, label(document.status)), ' ', el('code', {}, document.file)),
    invoice ? el('div', {},
      el('button', { type: 'button', class: 'link-button', 'data-open': invoice.id }, `${invoice.provider} · ${invoice.number ?? ''}`),
      ` ${kindLabel(invoice.kind)}${money(invoice.amount, invoice.currency)}`) : null,
    document.errors ? el('ul', { class: 'reasons' }, Object.entries(document.errors).flatMap(([field, messages]) =>
      messages.map((message) => el('li', { 'data-field': field }, field === 'document' ? '' : [el('code', {}, field), ': '], message)))) : null);
}

function label(status) {
  return status === 'existing' ? 'already recorded' : status;
}

function kindLabel(kind) {
  return kind === 'credit_note' ? 'credit note, ' : kind === 'debit_note' ? 'debit note, ' : '';
}

// When every document was refused the answer is a 422 problem whose errors are keyed documents[i].field, each message
// starting with the file's name: the same outcomes, rebuilt per document.
function refusedDocuments(failure) {
  if (!(failure instanceof ApiError) || failure.problem?.type !== 'urn:invoice-api:problem:refused-documents') return null;
  const documents = [];
  for (const [key, messages] of Object.entries(failure.problem.errors ?? {})) {
    const match = /^documents\[(\d+)\]\.(.+)$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    documents[index] ??= { file: fileOf(messages[0]), status: 'refused', errors: {} };
    const prefix = `${documents[index].file}: `;
    documents[index].errors[match[2]] = messages.map((message) => (message.startsWith(prefix) ? message.slice(prefix.length) : message));
  }
  return documents.filter(Boolean);
}

function fileOf(message) {
  const colon = message.indexOf(': ');
  return colon > 0 ? message.slice(0, colon) : 'document';
}
