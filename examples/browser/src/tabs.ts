/**
 * Makes `role="tab"` buttons switch their `aria-controls` panels (click, or ←/→/Home/End on a focused tab, as
 * the WAI-ARIA tabs pattern), calling `onShow` after each switch.
 */
export function setupTabs(tabs: readonly HTMLButtonElement[], onShow: () => void): void {
  const show = (chosen: HTMLButtonElement) => {
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    }
    onShow();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => show(tab));
    tab.addEventListener('keydown', (event) => {
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      const target = tabs[(to + tabs.length) % tabs.length];
      target.focus();
      show(target);
    });
  });
}
