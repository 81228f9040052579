// The dashboard page: token, figures, trend, breakdowns, the invoice list and the create form.
import { ApiError, call, describeFailure } from './api.js';
import { trendChart } from './chart.js';
import { CreateForm } from './create-form.js';
import { el, fill } from './dom.js';
import { renderBreakdown, renderCards, renderSuppliers } from './figures.js';
import { date } from './format.js';
import { InvoiceList } from './invoices.js';
import { setUpThemeToggle } from './theme.js';
import { adoptTokenFromFragment, forgetToken, getToken, setToken, tokenSubject } from './token.js';

const $ = (id) => document.getElementById(id);
const state = { dashboard: null, trend: null, currency: null };

setUpThemeToggle($('theme-toggle'));
adoptTokenFromFragment();

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setToken($('token-input').value);
  $('token-input').value = '';
  start();
});
$('forget-token').addEventListener('click', () => {
  forgetToken();
  showSignedOut('Token forgotten.');
});
$('currency-pick').addEventListener('change', (event) => {
  state.currency = event.target.value;
  renderCurrencyViews();
});

const list = new InvoiceList({
  form: $('filters'), rows: $('invoice-rows'), previous: $('page-prev'), next: $('page-next'), label: $('page-label'), error: $('list-error'),
});
new CreateForm($('create-form'), async () => {
  await Promise.all([list.reload(), loadFigures()]);
});

start();

async function start() {
  const token = getToken();
  if (!token) {
    showSignedOut('');
    return;
  }
  const { subject, admin } = tokenSubject(token);
  $('caller').textContent = `Signed in as ${subject ?? 'an unknown caller'}${admin ? ' (admin)' : ''}`;
  $('caller').hidden = false;
  $('forget-token').hidden = false;
  $('token-panel').hidden = true;
  $('app').hidden = false;
  setStatus('Loading…');
  try {
    await Promise.all([loadFigures(), list.reload()]);
    setStatus('');
    document.body.dataset.ready = 'true';
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) {
      forgetToken();
      showSignedOut(describeFailure(failure));
    } else {
      setStatus(describeFailure(failure), true);
    }
  }
}

async function loadFigures() {
  const [dashboard, trend] = await Promise.all([
    call('stats', '/dashboard', { query: { top: 8 } }),
    call('stats', '/trend', { query: { months: 12 } }),
  ]);
  state.dashboard = dashboard.body;
  state.trend = trend.body;
  const currencies = state.dashboard.currencies.map((figures) => figures.currency);
  if (!currencies.includes(state.currency)) {
    state.currency = [...state.dashboard.currencies].sort((a, b) => b.count - a.count)[0]?.currency ?? null;
  }
  $('period').textContent = `${date(state.dashboard.from)} – ${date(state.dashboard.to)} (${state.dashboard.time_zone}); change against ${date(state.dashboard.previous_from)} – ${date(state.dashboard.previous_to)}`;
  renderCards($('cards'), state.dashboard);
  fill($('currency-pick'), currencies.map((code) => el('option', { value: code, selected: code === state.currency }, code)));
  fill($('category-options'), [...new Set(state.dashboard.currencies.flatMap((figures) => figures.by_category.map((row) => row.category)))]
    .map((category) => el('option', { value: category })));
  renderCurrencyViews();
  document.body.dataset.figuresVersion = String(Number(document.body.dataset.figuresVersion ?? 0) + 1);
}

function renderCurrencyViews() {
  const figures = state.dashboard.currencies.find((entry) => entry.currency === state.currency);
  const series = state.trend.currencies.find((entry) => entry.currency === state.currency)?.series;
  if (!figures) {
    for (const id of ['trend', 'by-category', 'by-status', 'top-suppliers']) fill($(id), el('p', { class: 'empty' }, 'No invoices in this period yet.'));
    return;
  }
  fill($('trend'), series ? trendChart(series, state.currency) : el('p', { class: 'empty' }, 'No monthly figures.'));
  renderBreakdown($('by-category'), figures.by_category, state.currency, (row) => row.category);
  renderBreakdown($('by-status'), figures.by_status, state.currency, (row) => row.status);
  renderSuppliers($('top-suppliers'), figures.top_providers, state.currency);
}

function showSignedOut(message) {
  $('app').hidden = true;
  $('caller').hidden = true;
  $('forget-token').hidden = true;
  $('token-panel').hidden = false;
  setStatus(message, Boolean(message));
  $('token-input').focus();
}

function setStatus(message, isError = false) {
  $('status').textContent = message;
  $('status').classList.toggle('error', isError);
}
