import { ModelFolderError } from './errors';
import { fileDigests } from './integrity';
import { PIPELINE_MANIFEST, type PipelineManifest } from './pipeline-folder-schema';

/**
 * A segmenter folder's files with each network's weights stored once, in its ONNX file: every tfjs `model.json`
 * keeps its topology and weight list (as float32) but names no weight file, its weight files are left out, the
 * manifest says `onnx.tfjsWeights: 'from-onnx'` and its digests are those of the remaining files. Loaders then
 * read the tfjs weights from the ONNX files (`weightsFromOnnx`): about half the bytes, the same networks.
 *
 * @param files - a folder's files by relative path, as `pipelineFolderFiles` gives them (with ONNX files).
 * @param where - the folder's name, for messages.
 * @returns a new map; `files` is not changed. A folder already in that form comes back equal.
 * @throws {@link ModelFolderError} when the folder has no ONNX files or no manifest.
 */
export async function withTfjsWeightsFromOnnx(
  files: Readonly<Record<string, Uint8Array | string>>,
  where = 'folder',
): Promise<Record<string, Uint8Array | string>> {
  const text = files[PIPELINE_MANIFEST];
  if (text === undefined) throw new ModelFolderError(`${where}: has no ${PIPELINE_MANIFEST}`);
  const manifest = JSON.parse(
    typeof text === 'string' ? text : new TextDecoder().decode(text),
  ) as PipelineManifest;
  if (!manifest.onnx)
    throw new ModelFolderError(
      `${where}: tfjs weights can only be read from ONNX files, and ${PIPELINE_MANIFEST} lists none`,
    );
  const out: Record<string, Uint8Array | string> = { ...files };
  delete out[PIPELINE_MANIFEST];
  for (const prefix of ['localizer/', 'segmenter/']) {
    const path = `${prefix}model.json`;
    const content = files[path];
    if (content === undefined) throw new ModelFolderError(`${where}: has no ${path}`);
    const json = JSON.parse(typeof content === 'string' ? content : new TextDecoder().decode(content));
    const groups = json.weightsManifest as {
      paths: string[];
      weights: { name: string; shape: number[] }[];
    }[];
    for (const group of groups) for (const p of group.paths) delete out[`${prefix}${p}`];
    const weights = groups.flatMap((g) =>
      g.weights.map(({ name, shape }) => ({ name, shape, dtype: 'float32' })),
    );
    json.weightsManifest = [{ paths: [], weights }];
    out[path] = JSON.stringify(json);
  }
  const { files: _digests, ...rest } = manifest;
  const shared: PipelineManifest = {
    ...rest,
    onnx: { ...manifest.onnx, tfjsWeights: 'from-onnx' },
    files: await fileDigests(out),
  };
  return { [PIPELINE_MANIFEST]: `${JSON.stringify(shared, null, 2)}\n`, ...out };
}
