// Light, dark or the system's choice; remembered in localStorage.
const storageKey = 'invoice-api-theme';
const order = ['auto', 'light', 'dark'];

export function setUpThemeToggle(button) {
  const apply = (theme) => {
    if (theme === 'auto') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
    button.textContent = `Theme: ${theme}`;
  };
  let theme = localStorage.getItem(storageKey) ?? 'auto';
  apply(theme);
  button.addEventListener('click', () => {
    theme = order[(order.indexOf(theme) + 1) % order.length];
    localStorage.setItem(storageKey, theme);
    apply(theme);
  });
}
