// A few lines of DOM building instead of a framework: the console is small.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined | null>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else if (key === 'checked' && 'checked' in el) (el as HTMLInputElement).checked = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function mount(target: Element, ...nodes: (Node | null | undefined | false)[]) {
  target.replaceChildren(...nodes.filter((n): n is Node => Boolean(n)));
}

export function bytes(n: number | undefined): string {
  if (n === undefined || n === null) return '-';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

export function clock(seconds: number | undefined): string {
  if (seconds === undefined || seconds === null) return '-';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '-';
}

/** A message line for errors and confirmations. */
export function notice(kind: 'error' | 'ok' | 'info', text: string): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Runs an async action from a form/button, showing its error in `out`. */
export async function attempt(out: HTMLElement, action: () => Promise<void>) {
  out.replaceChildren();
  try {
    await action();
  } catch (e) {
    out.replaceChildren(notice('error', e instanceof Error ? e.message : String(e)));
  }
}
