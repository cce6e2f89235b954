export { removeStaleTemporaries, temporaryFileTarget, writeFileAtomic } from './node/atomic-write';
export { fsFolder } from './node/fs-folder';
export { type AcdcCohort, type LoadAcdcOptions, loadAcdc } from './node/load-acdc';
export { dicomFilesIn, holdsDicom, readDicomFolder, startsLikeDicom } from './node/read-dicom-folder';
export { type SynthesizeAcdcOptions, synthesizeAcdc, type WrittenPatient } from './node/synthesize-acdc';
export { removeOnSignal } from './node/temporary-files';
