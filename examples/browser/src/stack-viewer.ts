import type { Mask } from '@myoseg/core';
import { writeNifti } from '@myoseg/datasets';
import { Niivue, NVImage } from '@niivue/niivue';
import ndarray from 'ndarray';
import { planeOfSlices } from './slice-plane';

/** A frame of an image as niivue shows it: its stack `[D, H, W]` and voxel → world affine. */
export interface ViewerStack {
  /** Identifies the stack (image path and frame): the volume is loaded again only when it changes. */
  key: string;
  data: Float32Array;
  shape: [number, number, number];
  affine: number[][];
}

/** NIfTI bytes of a `[D, H, W]` stack with `affine`, for niivue. */
function niftiFile(
  data: Float32Array | Uint8Array,
  shape: [number, number, number],
  affine: number[][],
  name: string,
) {
  const bytes = writeNifti(ndarray(data, shape), { affine, gzip: false });
  return new File([bytes.slice()], name);
}

/**
 * The Segment view's viewer: niivue (WebGL) showing the current frame with the model's mask as a red overlay, on
 * the plane of the stack's slices, at the page's slice `k`. niivue's own mouse controls (window/level by right-drag,
 * zoom by scroll) work on it.
 */
export class StackViewer {
  readonly #nv: Niivue;
  readonly #attached: Promise<unknown>;
  #stackKey = '';
  #mask: Mask | null = null;
  /** The slice drawn last (-1: none yet); a call that changes nothing draws nothing. */
  #slice = -1;
  /** Calls of {@link StackViewer.show} run one after the other, so a volume is never loaded twice at once. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(canvas: HTMLCanvasElement) {
    // no crosshair and no colour bar: the red on the canvas is the mask's only
    this.#nv = new Niivue({
      backColor: [0, 0, 0, 1],
      crosshairWidth: 0,
      show3Dcrosshair: false,
      isColorbar: false,
      isOrientCube: false,
    });
    this.#attached = this.#nv.attachToCanvas(canvas);
  }

  /** The niivue instance (for tests). */
  get niivue(): Niivue {
    return this.#nv;
  }

  /**
   * Shows `stack` with `mask` (`[D, H, W]` 0/1; null for none; undefined keeps the one shown, if any, while the
   * stack stays) at slice `k`; loads volumes only when the stack or the mask changed.
   */
  show(stack: ViewerStack, mask: Mask | null | undefined, k: number): Promise<void> {
    const next = this.#queue.then(() => this.#show(stack, mask, k));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #show(stack: ViewerStack, mask: Mask | null | undefined, k: number): Promise<void> {
    await this.#attached;
    const nv = this.#nv;
    const sameMask = mask === undefined || mask === this.#mask;
    if (stack.key === this.#stackKey && sameMask && k === this.#slice) return;
    if (stack.key !== this.#stackKey) {
      for (const v of [...nv.volumes]) nv.removeVolume(v);
      const image = await NVImage.loadFromFile({
        file: niftiFile(stack.data, stack.shape, stack.affine, 'image.nii'),
        name: 'image.nii',
      });
      nv.addVolume(image);
      this.#stackKey = stack.key;
      this.#mask = null;
      const plane = planeOfSlices(stack.affine);
      nv.setSliceType(
        plane === 'axial'
          ? nv.sliceTypeAxial
          : plane === 'coronal'
            ? nv.sliceTypeCoronal
            : nv.sliceTypeSagittal,
      );
    }
    if (mask !== undefined && mask !== this.#mask) {
      for (const v of nv.volumes.slice(1)) nv.removeVolume(v);
      if (mask) {
        const file = niftiFile(mask.data as Uint8Array, stack.shape, stack.affine, 'mask.nii');
        const overlay = await NVImage.loadFromFile({
          file,
          name: 'mask.nii',
          colormap: 'red',
          opacity: 0.5,
          cal_min: 0.5,
          cal_max: 1,
        });
        nv.addVolume(overlay);
      }
      this.#mask = mask;
    }
    const [, h, w] = stack.shape;
    const world = [0, 1, 2].map(
      (r) =>
        stack.affine[r][0] * ((w - 1) / 2) +
        stack.affine[r][1] * ((h - 1) / 2) +
        stack.affine[r][2] * k +
        stack.affine[r][3],
    );
    nv.scene.crosshairPos = nv.mm2frac(world as [number, number, number]);
    nv.drawScene();
    this.#slice = k;
  }
}
