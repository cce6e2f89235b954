/** The element with id `id`, checked to be a `type` (the page's markup is fixed, so a miss is a bug). */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html has no <${type.name}> #${id}`);
  return el;
}

/** Fills a `<dl>` with `[term, description]` rows. */
export function setFacts(list: HTMLDListElement, rows: readonly (readonly [string, string])[]): void {
  list.replaceChildren(
    ...rows.flatMap(([term, text]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = text;
      return [dt, dd];
    }),
  );
}

/** Fills a `<select>` with `values` (shown as `label(value)`) and selects `selected` when it is one of them. */
export function setOptions(
  select: HTMLSelectElement,
  values: readonly string[],
  selected: string | undefined,
  label: (value: string) => string = (v) => v,
): void {
  const same =
    select.options.length === values.length && values.every((v, i) => select.options[i].value === v);
  if (!same) {
    select.replaceChildren(...values.map((v) => new Option(label(v), v)));
  }
  if (selected !== undefined && values.includes(selected)) select.value = selected;
}

/** Offers `data` to the user as a download named `name` (of MIME type `type`). */
export function download(name: string, data: string | Uint8Array, type: string): void {
  // A Blob takes only views of a plain ArrayBuffer: bytes that may view another kind of buffer are copied.
  const url = URL.createObjectURL(new Blob([typeof data === 'string' ? data : data.slice()], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the URL once click() returns; revoking later keeps slow downloads safe.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
