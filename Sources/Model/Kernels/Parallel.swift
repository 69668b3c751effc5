import COpenBLAS
import Foundation

/// Splits independent work (attention's batch×head pairs, decode rows) across the cores that the
/// BLAS thread count allows. Each item's result does not depend on which worker ran it, so
/// outputs are identical for any worker count.
enum Parallel {
    /// Calls `body(worker, items)` for contiguous chunks of 0..<count, one chunk per worker.
    /// BLAS runs single-threaded inside (sgemm is then safe to call from several threads), and
    /// the previous BLAS thread count is restored afterwards.
    static func forEachChunk(count: Int, maxWorkers: Int = .max, _ body: (_ worker: Int, _ items: Range<Int>) -> Void) {
        let workers = max(1, min(threadCount, count, maxWorkers))
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        let blasThreads = openblas_get_num_threads()
        if blasThreads != 1 { openblas_set_num_threads(1) }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = count * worker / workers
            let end = count * (worker + 1) / workers
            body(worker, start..<end)
        }
        if blasThreads != 1 { openblas_set_num_threads(blasThreads) }
    }

    /// Cores our own loops may use: the BLAS thread count.
    static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The number of workers `forEachChunk` would use for `count` items.
    static func workerCount(for count: Int) -> Int {
        max(1, min(threadCount, count))
    }

    /// Below this many floats touched, splitting costs more than it saves.
    static let minimumParallelWork = 1 << 15

    /// Like `forEachChunk`, for cheap per-item work (elementwise kernels, rows of norms):
    /// runs inline when `work` (floats touched) is small, and starts chunks on multiples of
    /// `alignment` (so vector bodies and scalar tails fall where they would unsplit).
    static func forEachRange(count: Int, work: Int, alignment: Int = 1, _ body: (_ worker: Int, _ items: Range<Int>) -> Void) {
        let workers = work < minimumParallelWork ? 1 : workerCount(for: max(1, count / max(1, alignment)))
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        let blocks = (count + alignment - 1) / alignment
        forEachChunk(count: workers) { worker, _ in
            let start = min(count, blocks * worker / workers * alignment)
            let end = worker == workers - 1 ? count : min(count, blocks * (worker + 1) / workers * alignment)
            body(worker, start..<end)
        }
    }
}
