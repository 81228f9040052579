// Numbers, money, percentages, dates and members, in the reader's locale.
const moneyFormats = new Map();
const countFormat = new Intl.NumberFormat(undefined);
const percentFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });
const monthYearFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function moneyFormat(currency, compact) {
  const key = `${currency}|${compact}`;
  if (!moneyFormats.has(key)) {
    let format;
    try {
      format = new Intl.NumberFormat(undefined, compact
        ? { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }
        : { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      // A code Intl does not know: plain digits and the code.
      format = { format: (value) => `${countFormat.format(value)} ${currency}` };
    }
    moneyFormats.set(key, format);
  }
  return moneyFormats.get(key);
}

/** "1234.50" (the API's decimal string) in COP → "$1,234.50" (en) or "$ 1.234,50" (es-CO). */
export function money(amount, currency) {
  if (amount === null || amount === undefined) return '—';
  return moneyFormat(currency, false).format(Number(amount));
}

/** A short form for chart labels: "$1.2M". */
export function compactMoney(amount, currency) {
  return moneyFormat(currency, true).format(Number(amount));
}

export function count(value) {
  return countFormat.format(value);
}

/** 12.345 → "+12.3%"; null → "—" (no previous total to compare with). */
export function percent(value) {
  return value === null || value === undefined ? '—' : `${percentFormat.format(value)}%`;
}

/** "2026-03-05" → "Mar 5, 2026", read as a calendar date (no time-zone shift). */
export function date(value) {
  return value ? dateFormat.format(new Date(`${value}T00:00:00Z`)) : '—';
}

/** "2026-03" → "Mar"; with year → "Mar 2026". */
export function month(value, withYear = false) {
  const parsed = new Date(`${value}-01T00:00:00Z`);
  return (withYear ? monthYearFormat : monthFormat).format(parsed);
}

/** Today as YYYY-MM-DD in the reader's time zone. */
export function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

/** An API timestamp ("2026-03-05T14:03:00.000000Z") in the reader's time zone: "Mar 5, 2026, 9:03 AM". */
export function dateTime(value) {
  return value ? dateTimeFormat.format(new Date(value)) : '—';
}

/** A member as the API names it: the verified email when there is one, else the id (the token's sub). */
export function member(id, email) {
  return email ?? id ?? '—';
}
