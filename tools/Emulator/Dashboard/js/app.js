// The dashboard page: the member's token, figures, trend, breakdowns, the invoice list, one invoice in full, the
// suppliers' DIAN documents upload and the create form. What the member's role may not do is left out: a viewer
// reads, an editor or owner also writes.
import { ApiError, call, describeFailure } from './api.js';
import { trendChart } from './chart.js';
import { CreateForm } from './create-form.js';
import { InvoiceDetail } from './detail.js';
import { el, fill } from './dom.js';
import { renderBreakdown, renderCards, renderSuppliers } from './figures.js';
import { date } from './format.js';
import { InvoiceList } from './invoices.js';
import { setUpThemeToggle } from './theme.js';
import { DocumentUpload } from './upload.js';
import { adoptTokensFromFragment, canWrite, forgetToken, getToken, getTokens, memberLabel, setToken, tokenClaims } from './token.js';

const $ = (id) => document.getElementById(id);
const state = { dashboard: null, trend: null, currency: null };

setUpThemeToggle($('theme-toggle'));
adoptTokensFromFragment();

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setToken($('token-input').value);
  $('token-input').value = '';
  start();
});
$('member-pick').addEventListener('change', (event) => {
  setToken(getTokens()[Number(event.target.value)]);
  start();
});
$('add-token').addEventListener('click', () => {
  $('token-panel').hidden = false;
  $('token-input').focus();
});
$('forget-token').addEventListener('click', () => {
  forgetToken();
  start('Token forgotten.');
});
$('currency-pick').addEventListener('change', (event) => {
  state.currency = event.target.value;
  renderCurrencyViews();
});

const detail = new InvoiceDetail($('invoice-detail'), () => Promise.all([list.refresh(), loadFigures()]));
const list = new InvoiceList({
  form: $('filters'), rows: $('invoice-rows'), previous: $('page-prev'), next: $('page-next'), label: $('page-label'), error: $('list-error'),
  onOpen: (id) => detail.open(id),
});
new CreateForm($('create-form'), async () => {
  await Promise.all([list.reload(), loadFigures()]);
});
new DocumentUpload($('upload-form'), {
  onRecorded: () => Promise.all([list.reload(), loadFigures()]),
  onOpen: (id) => detail.open(id),
});

start();

// Loads everything for the token in use; a refused token is forgotten and the next one, if any, is tried.
async function start(notice = '') {
  const token = getToken();
  if (!token) {
    showSignedOut(notice);
    return;
  }
  const claims = tokenClaims(token);
  document.body.dataset.ready = 'false';
  showMember(token, claims);
  $('token-panel').hidden = true;
  $('app').hidden = false;
  detail.close();
  setStatus('Loading…');
  try {
    await Promise.all([loadFigures(), list.reload()]);
    setStatus(notice);
    document.body.dataset.member = claims.subject ?? '';
    document.body.dataset.ready = 'true';
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) {
      forgetToken();
      start(describeFailure(failure));
    } else {
      setStatus(describeFailure(failure), true);
    }
  }
}

// The member picker, and the page as the member's role allows: no create form and no change buttons for a viewer.
function showMember(token, claims) {
  fill($('member-pick'), getTokens().map((each, index) => el('option', { value: index, selected: each === token }, memberLabel(tokenClaims(each)))));
  $('member').hidden = false;
  $('add-token').hidden = false;
  $('forget-token').hidden = false;
  const writer = canWrite(claims.role);
  document.body.dataset.role = claims.role;
  $('create-panel').hidden = !writer;
  $('upload-panel').hidden = !writer;
  $('read-only').hidden = writer;
  $('read-only-text').textContent = `As a viewer of ${claims.personal ? 'this account' : claims.account} you can read its invoices, `
    + 'their history and the figures; recording and changing invoices needs the editor or owner role.';
  detail.writable = writer;
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
  $('member').hidden = true;
  $('add-token').hidden = true;
  $('forget-token').hidden = true;
  $('token-panel').hidden = false;
  setStatus(message, Boolean(message));
  $('token-input').focus();
}

function setStatus(message, isError = false) {
  $('status').textContent = message;
  $('status').classList.toggle('error', isError);
}
