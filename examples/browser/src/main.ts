import { requestedBackend, startBackend } from './backend';
import { byId, setOptions } from './dom';
import { filesOfDrop, filesOfInput } from './dropped-files';
import { readUrlFolder } from './model-source';
import { setupReviewView } from './review/review-view';
import { setupSegmentView } from './segment-view';
import { type Report, Session } from './session';
import { setupTabs } from './tabs';

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
const backendOutput = byId('backend', HTMLOutputElement);
const asked = params.get('backend');
if (asked !== null && requestedBackend(location.search) === undefined) {
  report(`?backend=${asked} is not one of webgl, wasm; trying both`, true);
}
const backend = startBackend(requestedBackend(location.search)).then(
  (choice) => {
    backendOutput.value = choice.summary;
    backendOutput.dataset.backend = choice.name;
  },
  (e: Error) => {
    backendOutput.value = 'none';
    report(e.message, true);
  },
);

const session = new Session(report, localStorage, backend);
const modelName = byId('model-name', HTMLOutputElement);
const imageSelect = byId('image-select', HTMLSelectElement);
session.addEventListener('change', () => {
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
if (modelUrl) void session.loadModel(readUrlFolder(modelUrl), modelUrl);
