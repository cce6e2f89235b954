/**
 * Codes of the errors that are the user's input (a path, an option, a file's content), printed as one line with
 * exit code 2. Other errors print one line too and exit 1.
 */
export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set([
  'INPUT',
  'OUTPUT_FOLDER',
  'MODEL_FOLDER',
  'MODEL_CARD',
  'BACKEND_UNAVAILABLE',
  'NIFTI_FORMAT',
  'DICOM_FORMAT',
  'ACDC_FORMAT',
  'INVALID_OPTION',
  'PRESET',
  'REPORT_FORMAT',
  'SAFETENSORS_FORMAT',
  'WEIGHT_MISMATCH',
  'QUEUE_UNAVAILABLE',
]);
