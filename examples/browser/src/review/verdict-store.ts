import { VerdictTable } from './verdicts';

/** The `localStorage` key that keeps the review session's verdicts across reloads. */
export const VERDICTS_STORAGE_KEY = 'myoseg-review-verdicts';

/**
 * The verdicts kept in `storage`; an empty table when there are none, and also when they cannot be read (then
 * `problem` says why, and the stored text is left as it is until the next save).
 */
export function loadVerdicts(storage: Pick<Storage, 'getItem'>): { table: VerdictTable; problem?: string } {
  const text = storage.getItem(VERDICTS_STORAGE_KEY);
  if (text === null) return { table: new VerdictTable() };
  try {
    return { table: VerdictTable.fromJson(text, `localStorage '${VERDICTS_STORAGE_KEY}'`) };
  } catch (e) {
    return { table: new VerdictTable(), problem: (e as Error).message };
  }
}

/** Keeps `table` in `storage`; returns why it could not (a full or disabled storage), else `null`. */
export function saveVerdicts(storage: Pick<Storage, 'setItem'>, table: VerdictTable): string | null {
  try {
    storage.setItem(VERDICTS_STORAGE_KEY, table.toJson());
    return null;
  } catch (e) {
    return `the verdicts could not be kept in localStorage (${(e as Error).message}); download them`;
  }
}
