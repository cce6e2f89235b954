import { byId, setOptions } from './dom';
import { filesOfDrop, filesOfInput } from './dropped-files';
import { setupReviewView } from './review/review-view';
import { runtimeParams } from './runtime-param';
import { setupSegmentView } from './segment-view';
import { type Report, Session } from './session';
import { setupTabs } from './tabs';
import { PipelineClient } from './worker/pipeline-client';

const status = byId('status', HTMLParagraphElement);
const log = byId('log', HTMLUListElement);
const report: Report = (text, error = false) => {
  status.textContent = text;
  status.classList.toggle('error', error);
  const item = document.createElement('li');
  item.textContent = text;
  if (error) item.className = 'error';
  log.prepend(item);
};

const params = new URLSearchParams(location.search);
const asked = runtimeParams(location.search);
for (const problem of asked.problems) report(problem, true);
// The pipeline runs in a worker: the page stays responsive while a stack is segmented.
const worker = new Worker(new URL('./worker/pipeline-worker.ts', import.meta.url), { type: 'module' });
const session = new Session(report, localStorage, new PipelineClient(worker, asked));
const runtimeOutput = byId('runtime', HTMLOutputElement);
const showRuntime = () => {
  const runtime = session.model?.runtime;
  runtimeOutput.value = runtime ? runtime.summary : `${asked.runtime}, chosen when a model loads`;
  if (runtime) runtimeOutput.dataset.runtime = runtime.runtime;
};
showRuntime();
const modelName = byId('model-name', HTMLOutputElement);
const imageSelect = byId('image-select', HTMLSelectElement);
session.addEventListener('change', () => {
  showRuntime();
  modelName.value = session.model ? session.model.where : 'none';
  setOptions(
    imageSelect,
    session.images.map((i) => i.path),
    session.image?.path,
  );
});
imageSelect.addEventListener('change', () => {
  const image = session.images.find((i) => i.path === imageSelect.value);
  if (image) session.showImage(image);
});

const take = (files: Parameters<Session['addFiles']>[0]) => void session.addFiles(files);
const fileInput = byId('file-input', HTMLInputElement);
const modelInput = byId('model-input', HTMLInputElement);
for (const input of [fileInput, modelInput]) {
  input.addEventListener('change', () => {
    if (input.files) take(filesOfInput(input.files));
    input.value = '';
  });
}
const dropZone = byId('drop-zone', HTMLDivElement);
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('over');
});
document.addEventListener('dragleave', () => dropZone.classList.remove('over'));
document.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('over');
  if (event.dataTransfer) void filesOfDrop(event.dataTransfer).then(take);
});

setupSegmentView(session, report);
setupReviewView(session, report);
setupTabs([byId('tab-segment', HTMLButtonElement), byId('tab-review', HTMLButtonElement)], () =>
  session.changed(),
);

const modelUrl = params.get('model');
if (modelUrl) void session.loadModel({ url: new URL(modelUrl, location.href).href }, modelUrl);
