// The create form: POST / with an Idempotency-Key, and the API's own validation errors shown next to their fields.
import { ApiError, call, describeFailure } from './api.js';
import { money, today } from './format.js';

export class CreateForm {
  constructor(form, onCreated) {
    this.form = form;
    this.onCreated = onCreated;
    this.summary = form.querySelector('#create-error');
    this.result = form.querySelector('#create-result');
    this.submit = form.querySelector('#create-submit');
    form.elements.date.value = today();
    form.addEventListener('submit', (event) => { event.preventDefault(); this.send(); });
  }

  body() {
    const body = {};
    for (const [name, value] of new FormData(this.form)) {
      const text = String(value).trim();
      // Empty optional fields are left out (the API's defaults apply); required ones are sent so the API names them.
      if (text !== '' || this.form.elements[name].required) body[name] = text;
    }
    if (body.currency) body.currency = body.currency.toUpperCase();
    return body;
  }

  async send() {
    this.clearErrors();
    this.result.textContent = '';
    this.submit.disabled = true;
    const body = this.body();
    try {
      const { body: invoice } = await call('invoices', '/', { method: 'POST', body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      this.form.reset();
      this.form.elements.date.value = today();
      this.result.textContent = `Created: ${invoice.provider}, ${money(invoice.amount, invoice.currency)}.`;
      await this.onCreated(invoice);
    } catch (failure) {
      this.showErrors(failure);
    } finally {
      this.submit.disabled = false;
    }
  }

  clearErrors() {
    this.summary.hidden = true;
    this.summary.textContent = '';
    for (const message of this.form.querySelectorAll('[data-error-for]')) message.textContent = '';
    for (const input of this.form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  showErrors(failure) {
    const errors = failure instanceof ApiError ? failure.problem?.errors : null;
    const unplaced = [];
    let first = null;
    for (const [field, messages] of Object.entries(errors ?? {})) {
      const message = this.form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
      const input = this.form.elements[field];
      if (message && input) {
        message.textContent = messages.join(' ');
        input.setAttribute('aria-invalid', 'true');
        first ??= input;
      } else {
        unplaced.push(`${field}: ${messages.join(' ')}`);
      }
    }
    const headline = failure instanceof ApiError && failure.problem?.title ? failure.problem.title : describeFailure(failure);
    this.summary.textContent = errors ? [headline, ...unplaced].join(' — ') : describeFailure(failure);
    this.summary.hidden = false;
    first?.focus();
  }
}
