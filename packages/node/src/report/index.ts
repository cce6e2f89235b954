export {
  type CohortEvaluation,
  CohortEvaluationSchema,
  type EvaluatedSlice,
  EvaluatedSliceSchema,
  type EvaluationSummary,
  EvaluationSummarySchema,
} from './evaluation-schema';
export { type OverlayMask, type OverlayOptions, overlayPng, type RgbaImage, renderOverlay } from './overlay';
export { encodePng } from './png';
export { readEvaluation } from './read-evaluation';
export { ReportFormatError, readRunReport } from './read-run-report';
export { renderReportHtml } from './render-html';
export {
  type DiceDistribution,
  DiceDistributionSchema,
  type FixedSigma,
  FixedSigmaSchema,
  type ReportHd95,
  ReportHd95Schema,
  type ReportPreset,
  ReportPresetSchema,
  type ReportSigma,
  ReportSigmaSchema,
  type ReportSlice,
  ReportSliceSchema,
  type RunReport,
  RunReportSchema,
  type Table1Row,
  Table1RowSchema,
  type TrainingCurve,
  TrainingCurveSchema,
  type TrainingEpoch,
  TrainingEpochSchema,
  type WholeVolumeReport,
  WholeVolumeReportSchema,
  type WholeVolumeRow,
  WholeVolumeRowSchema,
} from './run-report-schema';
export { writeReport } from './write-report';
