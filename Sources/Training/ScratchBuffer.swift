import Basics

/// Per-token floats (log-probs, masks, gradients) reused across steps.
typealias ScratchBuffer = GrowableBuffer<Float>
/// Per-token ids (targets) reused across steps.
typealias TokenScratch = GrowableBuffer<Int32>
