export type { CameraMove } from './camera-moves.ts'
export { CAMERA_MOVES } from './camera-moves.ts'
export type { Canvas } from './canvas.ts'
export type {
  ContactSheetOptions,
  ContactSheetResult,
  ContactSheetShot,
  ContactSheetTake,
} from './contact-sheet.ts'
export { contactSheet } from './contact-sheet.ts'
export type { AssemblerErrorCode, AssemblerErrorData, ClipProblem } from './errors.ts'
export { AssemblerError } from './errors.ts'
export type { FeatureName } from './features.ts'
export { FEATURES, missingFeatures } from './features.ts'
export type { FfmpegPriority, RunFfmpegOptions } from './ffmpeg.ts'
export { runFfmpeg } from './ffmpeg.ts'
export type { ExtractFramesOptions, FramePaths } from './frames.ts'
export { extractFrames } from './frames.ts'
export { writeAtomically } from './internal/temp-file.ts'
export { extractLastFrame } from './last-frame.ts'
export type {
  FfmpegBinaries,
  FfmpegInstallation,
  FfmpegSource,
  LocateOptions,
  RequiredFeatures,
} from './locate.ts'
export { findFfmpeg, locateFfmpeg, requireFeatures } from './locate.ts'
export { keyframeInterval, MEZZANINE, mezzanineAudioArgs, mezzanineVideoArgs } from './mezzanine-format.ts'
export type { MotionClipOptions } from './motion-clip.ts'
export { renderMotionClip } from './motion-clip.ts'
export type { FinishReelOptions, IncrementalReel, OpenReelOptions } from './open-reel.ts'
export { openReel } from './open-reel.ts'
export type { AudioStreamInfo, MediaInfo, VideoStreamInfo } from './probe.ts'
export { countFrames, probeMedia } from './probe.ts'
export type {
  AssembleReelOptions,
  ReelMethod,
  ReelProgress,
  ReelResult,
  ReelSegment,
  ReelShot,
  ReelStage,
} from './reel.ts'
export { assembleReel, reelSegments } from './reel.ts'
export type { VerifiedClip, VerifyClipOptions } from './verify-clip.ts'
export { verifyClip } from './verify-clip.ts'
