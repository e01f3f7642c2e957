/** Navigation between hash routes, and a signal that the quota may have changed. */
export function go(path: string) {
  location.hash = `#${path}`;
}

export function quotaChanged() {
  window.dispatchEvent(new Event('clipflow:quota'));
}
