import { MyosegError } from '@myoseg/core';

/** A tfjs model cannot be exported to ONNX: a layer or setting the exporter does not know, or a bad option. */
export class OnnxExportError extends MyosegError {
  /** Always `'ONNX_EXPORT'`. */
  override readonly code: string = 'ONNX_EXPORT';
  /** The tfjs layer that could not be converted, when one is to blame. */
  readonly layerName?: string;
  /** Its tfjs class (`'Dense'`, `'Conv2D'`…), when a layer is to blame. */
  readonly className?: string;

  /**
   * @param message - what was wrong and what was expected.
   * @param layer - the layer to blame: its name and tfjs class.
   */
  constructor(message: string, layer?: { name: string; className: string }) {
    super(
      layer ? `exportOnnx: layer '${layer.name}' (${layer.className}): ${message}` : `exportOnnx: ${message}`,
    );
    this.layerName = layer?.name;
    this.className = layer?.className;
  }
}
