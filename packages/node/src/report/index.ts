export { type OverlayMask, type OverlayOptions, overlayPng, type RgbaImage, renderOverlay } from './overlay';
export { encodePng } from './png';
export { ReportFormatError, readRunReport } from './read-run-report';
export { renderReportHtml } from './render-html';
export type {
  DiceDistribution,
  FixedSigma,
  ReportHd95,
  ReportPreset,
  ReportSigma,
  ReportSlice,
  RunReport,
  Table1Row,
  TrainingCurve,
  TrainingEpoch,
  WholeVolumeReport,
  WholeVolumeRow,
} from './run-report';
export { writeReport } from './write-report';
