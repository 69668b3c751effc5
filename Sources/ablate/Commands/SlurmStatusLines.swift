import Foundation
import Slurm

/// The Slurm part of `status` and `cancel`: each array's tasks by state, and each run whose task
/// vanished.
enum SlurmStatusLines {
    static func print(_ report: SlurmReconciler.Report) {
        let known = report.arrays.filter { !report.queue.tasks(ofArray: $0.job).isEmpty }
        if known.isEmpty {
            Swift.print("slurm: squeue knows no array of this sweep any more (\(report.arrays.count) submitted, listed in jobs.json)")
        }
        for array in known {
            let tasks = report.queue.tasks(ofArray: array.job)
            var byState: [(String, Int)] = []
            for task in tasks {
                let label = task.state == "PENDING" && task.reason != "None" ? "pending (\(task.reason))" : task.state.lowercased()
                if let index = byState.firstIndex(where: { $0.0 == label }) { byState[index].1 += 1 } else { byState.append((label, 1)) }
            }
            let summary = byState.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
            Swift.print("slurm: job array \(array.job) (\(array.array.rawValue), \(array.tasks) task\(array.tasks == 1 ? "" : "s")): \(summary)")
        }
        for vanished in report.vanished {
            let how = vanished.slurmState.map { "ended \($0)" } ?? "is gone (Slurm no longer knows it)"
            let then = vanished.madePending ? "back to pending; the next submission resumes it from its checkpoint"
                                         : "still recorded running: its claim is held (a worker may still be alive)"
            Swift.print("vanished \(vanished.unit.shortID) \(vanished.unit.title): its task \(vanished.task) \(how) (log \(vanished.log)); \(then)")
        }
    }
}
