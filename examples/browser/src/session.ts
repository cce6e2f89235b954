import type { Mask } from '@myoseg/core';
import { type AcdcInfo, type NiftiImage, parseInfoCfg, readNifti } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { dicomStudiesOf, dicomStudyNifti } from './dicom-study';
import type { PickedFile } from './dropped-files';
import { sortFiles } from './file-kinds';
import { folderOf, patientIdOf } from './file-names';
import { type LabelKind, labelKind, myocardiumMask } from './label-mask';
import { labelFrameFor } from './label-match';
import { modelFileMap } from './model-source';
import { frameStack, imageSlice, labelSlice, type SliceLayout, sliceLayout } from './nifti-slice';
import { loadVerdicts, saveVerdicts } from './review/verdict-store';
import { VerdictTable } from './review/verdicts';
import type { LoadedModel, PipelineClient, Progress } from './worker/pipeline-client';
import type { ModelSource, SliceFacts } from './worker/protocol';

/** A NIfTI file the user gave. */
export interface NiftiFile {
  /** Its path as dropped (`folder/name`, or the bare name); identifies it in verdicts. */
  path: string;
  /** The parsed file. */
  nifti: NiftiImage;
  /** Its slices. */
  layout: SliceLayout;
}

/** A label file: how it marks the myocardium. */
export interface LabelFile extends NiftiFile {
  /** ACDC labels or a binary mask. */
  kind: LabelKind;
}

/** A mask of the current slice that the page can show: a label file's, or the model's. */
export interface MaskSource {
  /** The label file's path, or {@link MODEL_SOURCE}. */
  id: string;
  /** The `[H, W]` 0/1 mask (the model's is computed on first use). */
  mask(): Promise<Mask>;
}

/** The id of the model's mask among the {@link MaskSource}s. */
export const MODEL_SOURCE = 'model';

/** Where messages for the user go: a line of text, and whether it reports a failure. */
export type Report = (text: string, error?: boolean) => void;

/** What runs the model: the pipeline worker's client (a fake in unit tests). */
export type ModelRunner = Pick<PipelineClient, 'load' | 'segment'>;

/** The model's result on one slice: its `[H, W]` mask and what the page shows of it. */
export interface SliceResult extends SliceFacts {
  mask: Mask;
}

/** The model's results on one frame of an image: the frame's mask and one result per slice. */
export interface FrameResult {
  /** The `[D, H, W]` 0/1 mask (each slice's `mask` views its plane). */
  mask: Mask;
  slices: SliceResult[];
  /** Wall time of the frame in the worker, ms. */
  ms: number;
}

/**
 * Everything the page works on: the files the user gave, the current image, frame and slice, the model, the
 * model's masks computed so far, and the review verdicts (kept in `storage`). Dispatches `change` on every change.
 */
export class Session extends EventTarget {
  /** Images, in the order they were given. */
  readonly images: NiftiFile[] = [];
  /** Label files and masks. */
  readonly labels: LabelFile[] = [];
  /** `Info.cfg` contents by the folder they were in (`patient001/`; `''` for a loose `Info.cfg`). */
  readonly infos = new Map<string, AcdcInfo>();
  /** The review verdicts. */
  readonly verdicts: VerdictTable;
  /** The image shown. */
  image: NiftiFile | null = null;
  /** Its frame, from 0. */
  frame = 0;
  /** Its slice, from 0. */
  slice = 0;
  /** The loaded model: where it came from and the runtime it runs on. */
  model: LoadedModel | null = null;
  /** The frame being segmented in the worker and how far it got; `null` when none is. */
  progress: (Progress & { frame: number }) | null = null;
  readonly #segmentations = new Map<string, Promise<FrameResult>>();
  readonly #reported = new Set<string>();
  readonly #report: Report;
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly #runner: ModelRunner;

  /**
   * @param storage - keeps the verdicts across reloads.
   * @param runner - loads models and segments frames (in the pipeline worker).
   */
  constructor(report: Report, storage: Pick<Storage, 'getItem' | 'setItem'>, runner: ModelRunner) {
    super();
    this.#report = report;
    this.#storage = storage;
    this.#runner = runner;
    const { table, problem } = loadVerdicts(storage);
    this.verdicts = table;
    if (problem) report(problem, true);
  }

  /** Tells the views to draw again. */
  changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  /** Keeps the verdicts in storage (reporting when it cannot) and tells the views. */
  verdictsChanged(): void {
    const problem = saveVerdicts(this.#storage, this.verdicts);
    if (problem) this.#report(problem, true);
    this.changed();
  }

  /**
   * Takes dropped or picked files: NIfTI images and label files, DICOM series (each folder's DICOM files as one
   * image, as `myoseg segment <folder>` reads them), `Info.cfg`, verdict files (`.json`) and a model folder. A file
   * that cannot be read is reported and skipped; the first new image becomes the current one.
   */
  async addFiles(picked: readonly PickedFile[]): Promise<void> {
    const sorted = sortFiles(picked.map((p) => p.path));
    const fileAt = new Map(picked.map((p) => [p.path, p.file]));
    let read = 0;
    const attempt = async (path: string, take: (file: File) => Promise<void>) => {
      try {
        await take(fileAt.get(path)!);
        read++;
      } catch (e) {
        this.#report((e as Error).message, true);
      }
    };
    const newImages: NiftiFile[] = [];
    for (const path of sorted.images) {
      await attempt(path, async (file) => {
        newImages.push(replace(this.images, await readNiftiFile(path, file)));
      });
    }
    for (const path of sorted.labels) {
      await attempt(path, async (file) => {
        const labels = await readNiftiFile(path, file);
        replace(this.labels, { ...labels, kind: labelKind(labels.nifti.data) });
      });
    }
    for (const path of sorted.infos) {
      await attempt(path, async (file) => {
        this.infos.set(folderOf(path), parseInfoCfg(await file.text(), path));
      });
    }
    for (const path of sorted.verdicts) {
      await attempt(path, async (file) => {
        for (const r of VerdictTable.fromJson(await file.text(), path).records()) this.verdicts.set(r);
        this.verdictsChanged();
      });
    }
    const dicom = await dicomStudiesOf(sorted.ignored.map((path) => ({ path, file: fileAt.get(path)! })));
    for (const study of dicom.studies) {
      const nifti = dicomStudyNifti(study);
      newImages.push(
        replace(this.images, { path: study.path, nifti, layout: sliceLayout(nifti.shape, study.path) }),
      );
    }
    for (const problem of dicom.problems) this.#report(problem, true);
    if (newImages.length > 0) this.showImage(newImages[0]);
    if (sorted.model) {
      await this.loadModel({ files: modelFileMap(picked, sorted.model) }, sorted.model.root || 'model');
    }
    const files = sorted.images.length + sorted.labels.length + sorted.infos.length + sorted.verdicts.length;
    const series = dicom.studies.length ? `, ${dicom.studies.length} DICOM series` : '';
    const ignored = dicom.other.length ? `; ignored ${dicom.other.join(', ')}` : '';
    if (files > 0 || series || ignored)
      this.#report(
        `read ${read} of ${files} file(s)${series}${ignored}`,
        read < files || dicom.problems.length > 0,
      );
    this.changed();
  }

  /** Shows `image` from its middle slice (where the heart usually is) and first frame. */
  showImage(image: NiftiFile): void {
    this.image = image;
    this.frame = 0;
    this.slice = Math.floor(image.layout.slices / 2);
    this.changed();
  }

  /** Moves to `slice` of frame `frame` of the current image (clamped to its range). */
  go(frame: number, slice: number): void {
    if (!this.image) return;
    const { frames, slices } = this.image.layout;
    this.frame = Math.min(Math.max(0, frame), frames - 1);
    this.slice = Math.min(Math.max(0, slice), slices - 1);
    this.changed();
  }

  /**
   * Loads a model folder in the worker, replacing the previous model. A folder that does not load is reported and
   * the previous model stays.
   */
  async loadModel(source: ModelSource, where: string): Promise<void> {
    try {
      this.model = await this.#runner.load(source, where);
      this.#segmentations.clear();
      this.#report(`model ${where}: ${this.model.model}; runs on ${this.model.runtime.summary}`);
    } catch (e) {
      this.#report((e as Error).message, true);
    }
    this.changed();
  }

  /** The current slice as float32 `[H, W]` with its spacing `[dy, dx]` in mm; `null` without an image. */
  currentSlice(): ReturnType<typeof imageSlice> | null {
    return this.image ? imageSlice(this.image.nifti, this.frame, this.slice, this.image.path) : null;
  }

  /** The model's result on slice `slice` of frame `frame` of the current image (its frame is segmented once). */
  async segmentation(frame = this.frame, slice = this.slice): Promise<SliceResult> {
    return (await this.frameSegmentation(frame)).slices[slice];
  }

  /**
   * The model's results on frame `frame` of the current image, segmented once in the worker as one stack
   * (volume-consistent localization), with {@link Session.progress} updated (and `progress` dispatched) per slice.
   */
  frameSegmentation(frame = this.frame): Promise<FrameResult> {
    const image = this.image;
    const model = this.model;
    if (!image || !model) return Promise.reject(new Error('segmentation needs an image and a model'));
    const key = JSON.stringify([image.path, model.where, frame]);
    let result = this.#segmentations.get(key);
    if (!result) {
      const stack = frameStack(image.nifti, frame, image.path);
      const [, h, w] = stack.shape;
      const progress = (p: Progress) => {
        this.progress = { ...p, frame };
        this.dispatchEvent(new Event('progress'));
      };
      result = this.#runner
        .segment(stack.data, stack.shape, stack.spacing, stack.affine, progress)
        .then(({ mask, slices, ms }) => ({
          ms,
          mask: ndarray(mask, stack.shape),
          slices: slices.map((facts, z) => ({
            ...facts,
            mask: ndarray(mask.subarray(z * h * w, (z + 1) * h * w), [h, w]),
          })),
        }))
        .finally(() => {
          this.progress = null;
          this.dispatchEvent(new Event('progress'));
        });
      this.#segmentations.set(key, result);
      result.catch(() => this.#segmentations.delete(key));
    }
    return result;
  }

  /**
   * The masks of the current slice: each label file that fits the image and labels this frame, then the model's
   * when a model is loaded. A label file that does not fit the image is reported (once) and left out.
   */
  maskSources(): MaskSource[] {
    const image = this.image;
    if (!image) return [];
    const sources: MaskSource[] = [];
    const named = { name: image.path, layout: image.layout };
    for (const label of this.labels) {
      try {
        const labelFrame = labelFrameFor({ name: label.path, layout: label.layout }, named, this.frame);
        if (labelFrame === null) continue;
        const mask = myocardiumMask(labelSlice(label.nifti, labelFrame, this.slice, label.path), label.kind);
        sources.push({ id: label.path, mask: () => Promise.resolve(mask) });
      } catch (e) {
        const problem = (e as Error).message;
        if (!this.#reported.has(problem)) this.#report(problem, true);
        this.#reported.add(problem);
      }
    }
    if (this.model) {
      const [frame, slice] = [this.frame, this.slice];
      sources.push({ id: MODEL_SOURCE, mask: async () => (await this.segmentation(frame, slice)).mask });
    }
    return sources;
  }

  /**
   * The `Info.cfg` of the current image: the one in its folder, else one in a folder named after its patient
   * (`patient001/`), else a loose one; `null` when none fits.
   */
  patientInfo(): AcdcInfo | null {
    if (!this.image) return null;
    const id = patientIdOf(this.image.path);
    const named = [...this.infos].find(([folder]) => folder.split('/').at(-2) === id);
    return this.infos.get(folderOf(this.image.path)) ?? named?.[1] ?? this.infos.get('') ?? null;
  }
}

/** Puts `item` in `list` in place of one with the same path (else at the end) and returns it. */
function replace<T extends { path: string }>(list: T[], item: T): T {
  const at = list.findIndex((x) => x.path === item.path);
  if (at >= 0) list[at] = item;
  else list.push(item);
  return item;
}

/** Reads a dropped NIfTI file and checks that it cuts into 2D slices. */
async function readNiftiFile(path: string, file: File): Promise<NiftiFile> {
  const nifti = readNifti(new Uint8Array(await file.arrayBuffer()), { name: path });
  return { path, nifti, layout: sliceLayout(nifti.shape, path) };
}
