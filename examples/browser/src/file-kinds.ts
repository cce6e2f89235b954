import { folderOf, isLabelName, isNiftiName } from './file-names';

/** What the page does with the files the user dropped or picked, by their paths (`folder/name`, `/`-separated). */
export interface SortedFiles {
  /** NIfTI images. */
  images: string[];
  /** NIfTI label files and masks (see `isLabelName`). */
  labels: string[];
  /** ACDC `Info.cfg` files. */
  infos: string[];
  /** Review verdicts saved before (`.json` outside a model folder). */
  verdicts: string[];
  /** The model folder: the folder of the first `myoseg.json`, and its files' paths relative to it. */
  model: { root: string; files: string[] } | null;
  /** Everything else. */
  ignored: string[];
}

/** Whether `path` belongs to the model folder at `root` (at the top level, only the model's own files do). */
const inModel = (path: string, root: string) =>
  root === '' ? /^(myoseg\.json|localizer\/|segmenter\/)/.test(path) : path.startsWith(root);

/**
 * Sorts dropped paths: a `myoseg.json` marks a model folder, which takes every file under it (or, at the top
 * level, `myoseg.json`, `localizer/` and `segmenter/`); then NIfTI files
 * (labels by their names, else images), `Info.cfg` files and `.json` verdict files. Paths keep their order.
 */
export function sortFiles(paths: readonly string[]): SortedFiles {
  const out: SortedFiles = { images: [], labels: [], infos: [], verdicts: [], model: null, ignored: [] };
  const manifest = paths.find((p) => p === 'myoseg.json' || p.endsWith('/myoseg.json'));
  const root = manifest === undefined ? null : folderOf(manifest);
  if (root !== null) out.model = { root, files: [] };
  for (const path of paths) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (root !== null && out.model && inModel(path, root)) out.model.files.push(path.slice(root.length));
    else if (isNiftiName(name)) (isLabelName(name) ? out.labels : out.images).push(path);
    else if (name === 'Info.cfg') out.infos.push(path);
    else if (name.toLowerCase().endsWith('.json')) out.verdicts.push(path);
    else out.ignored.push(path);
  }
  return out;
}
