import Basics
import Foundation
import RunStore
import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// Trains a sweep's runs on this machine, each in its own worker process, `jobs` at a time.
///
/// Stages run before the runs that name them. A run that traps, diverges or times out is recorded
/// failed with its reason and last log lines, and the others go on. Claims keep two schedulers
/// from training one run at once; runs held by another scheduler are waited for. The first
/// interrupt stops launching and asks workers to checkpoint (SIGTERM), the second kills them.
/// Everything runs on the calling thread: the loop polls children, the interrupt counter and the
/// clock, and sleeps a few milliseconds between rounds.
///
/// In pull mode (`SchedulerOptions.pull`, a Slurm array task) it is one of many schedulers sharing
/// the store: it takes whatever run nobody holds, skips runs others hold instead of waiting for
/// them, and returns when nothing is left to take.
public final class LocalScheduler {
    public let ledger: Ledger
    public let units: [ScheduledRun]
    public let options: SchedulerOptions
    let progress: ProgressReporter
    let interrupts: () -> Int
    let checkpointRequests: () -> Int
    let host = ProcessInfo.processInfo.hostName

    /// `elsewhere`: held by another scheduler, which a pull-mode scheduler leaves to it.
    enum Phase { case waiting, running, done, failed, blocked, elsewhere }

    final class Active {
        let unit: ScheduledRun
        let process: WorkerProcess
        let claim: RunClaim
        let startedAt: Date
        var terminationSentAt: Date?
        var timedOut = false
        var stopRequested = false
        init(unit: ScheduledRun, process: WorkerProcess, claim: RunClaim, startedAt: Date) {
            self.unit = unit; self.process = process; self.claim = claim; self.startedAt = startedAt
        }
    }

    var phases: [String: Phase] = [:]
    var reasons: [String: String] = [:]
    var attempts: [String: Int] = [:]
    var active: [String: Active] = [:]
    var heldElsewhere: [String: Date] = [:]
    var durations: [Double] = []
    var stopping = false
    var lastHeartbeat = Date()
    var gpuPool: GPUPool
    /// GPUs each unit asks for, read from its config.json once.
    var gpuNeeds: [String: Int] = [:]

    /// `interrupts` returns how many SIGINT/SIGTERM arrived (`Interrupts.count` in the CLI);
    /// `checkpointRequests` how many requests to checkpoint and stop arrived from elsewhere (a
    /// Slurm task's USR1 before its time limit): the first acts like a first interrupt.
    public init(ledger: Ledger, units: [ScheduledRun], options: SchedulerOptions, progress: ProgressReporter,
                interrupts: @escaping () -> Int = { Interrupts.count }, checkpointRequests: @escaping () -> Int = { 0 }) {
        self.ledger = ledger
        self.units = units
        self.options = options
        self.progress = progress
        self.interrupts = interrupts
        self.checkpointRequests = checkpointRequests
        gpuPool = GPUPool(devices: options.gpus ?? GPUPool.detect())
    }

    public func run() -> SweepOutcome {
        for unit in units {
            switch ledger.readState(unit.id)?.state {
            case .done?: phases[unit.id] = .done
            case .failed? where !options.retryFailed:
                phases[unit.id] = .failed
                reasons[unit.id] = ledger.readState(unit.id)?.error ?? "failed earlier"
            default: phases[unit.id] = .waiting
            }
        }
        var interrupted = false
        while true {
            let signals = interrupts()
            if signals >= 2 {
                killEverything()
                interrupted = true
                break
            }
            if signals == 1, !stopping {
                interrupted = true
                // Where the interrupt reached the workers too (Slurm signals every process of a
                // job), a second SIGTERM from here would make them exit before checkpointing.
                stop(reason: options.interruptsReachWorkers ? "interrupted: waiting for the workers, signalled too, to checkpoint"
                                                            : "interrupted: waiting for running workers to checkpoint (^C again to kill them)",
                     signalWorkers: !options.interruptsReachWorkers)
            }
            if checkpointRequests() > 0, !stopping {
                interrupted = true
                stop(reason: "asked to checkpoint and stop: waiting for running workers to checkpoint", signalWorkers: true)
            }
            reapFinished()
            enforceDeadlines()
            heartbeatIfDue()
            let launched = stopping ? false : launchWhatFits()
            progress.update(snapshot())
            if active.isEmpty {
                if stopping { break }
                if !launched && heldElsewhere.isEmpty {
                    if !options.pull { markUnreachableAsBlocked() }
                    break
                }
            }
            usleep(active.isEmpty ? 100_000 : 20_000)
        }
        progress.finish(snapshot())
        return outcome(interrupted: interrupted)
    }

    // MARK: Launching

    /// Starts runs until `jobs` are running; returns whether any started.
    func launchWhatFits() -> Bool {
        var launched = false
        for unit in units where active.count < options.jobs && phases[unit.id] == .waiting {
            let dependencies = unit.dependsOn.map { phases[$0] ?? recordedPhase($0) }
            if dependencies.contains(where: { $0 == .failed || $0 == .blocked }) {
                phases[unit.id] = .blocked
                reasons[unit.id] = "a stage it needs failed"
                continue
            }
            guard dependencies.allSatisfy({ $0 == .done }) else { continue }
            if let retryAt = heldElsewhere[unit.id], retryAt > Date() { continue }
            let gpus = gpuNeeds[unit.id] ?? GPUPool.need(runDirectory: ledger.runDirectory(unit.id))
            gpuNeeds[unit.id] = gpus
            if gpus > gpuPool.devices.count {
                let remedy = options.pull ? "ask Slurm for them per task (--gpus-per-task)" : "give them with --gpus or CUDA_VISIBLE_DEVICES"
                let reason = "needs \(gpus) GPU\(gpus == 1 ? "" : "s") (trainer.gpus) but the pool has \(gpuPool.devices.count): \(remedy)"
                persist(unit.id) { state in
                    state.state = .failed
                    state.error = reason
                    state.finishedAt = StateFile.timestamp()
                }
                fail(unit, reason: reason, lastLines: [])
                continue
            }
            if gpus > gpuPool.freeCount { continue }
            if start(unit) { launched = true }
        }
        return launched
    }

    func start(_ unit: ScheduledRun) -> Bool {
        let directory = ledger.runDirectory(unit.id)
        let claim: RunClaim?
        do { claim = try RunClaim.take(runDirectory: directory) } catch {
            fail(unit, reason: "\(error)", lastLines: [])
            return false
        }
        guard let claim else {
            if options.pull {
                phases[unit.id] = .elsewhere
                return false
            }
            if heldElsewhere[unit.id] == nil { progress.event("wait   \(unit.shortID) \(unit.title): claimed by another 'ablate run'") }
            heldElsewhere[unit.id] = Date().addingTimeInterval(0.25)
            return false
        }
        heldElsewhere[unit.id] = nil
        // Whoever held it before may have finished it.
        let state = ledger.readState(unit.id)
        if state?.state == .done {
            phases[unit.id] = .done
            progress.event("done   \(unit.shortID) \(unit.title) (finished elsewhere)")
            claim.release()
            return false
        }
        if state?.state == .failed, !options.retryFailed, (attempts[unit.id] ?? 0) == 0 {
            phases[unit.id] = .failed
            reasons[unit.id] = state?.error ?? "failed"
            claim.release()
            return false
        }
        let arguments = options.worker.commandLine(runDirectory: directory)
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in options.worker.environment { environment[key] = value }
        if !gpuPool.devices.isEmpty {
            // With a pool, a run sees exactly its own GPUs (none when it asks for none).
            let devices = gpuPool.take(gpuNeeds[unit.id] ?? 0, for: unit.id) ?? []
            environment["CUDA_VISIBLE_DEVICES"] = devices.joined(separator: ",")
        }
        let process: WorkerProcess
        do {
            process = try WorkerProcess(arguments: arguments, environment: environment, outputPath: ledger.run(unit.id).workerOutput,
                                        inheritedDescriptor: claim.descriptor)
        } catch {
            gpuPool.release(unit.id)
            attempts[unit.id, default: 0] += 1
            record(unit, claim: claim, failure: "\(error)", lastLines: [])
            return false
        }
        attempts[unit.id, default: 0] += 1
        let now = Date()
        let lease = StateFile.timestamp(now.addingTimeInterval(options.lease))
        claim.renew(pid: process.pid, host: host, leaseExpires: lease)
        persist(unit.id) { state in
            state.state = .running
            state.attempts += 1
            state.host = host
            state.pid = process.pid
            state.leaseExpires = lease
            state.startedAt = StateFile.timestamp(now)
            state.finishedAt = nil
            state.error = nil
            state.step = MetricsLine.lastStep(at: ledger.run(unit.id).metrics)
            state.job = options.job
        }
        phases[unit.id] = .running
        active[unit.id] = Active(unit: unit, process: process, claim: claim, startedAt: now)
        let attempt = attempts[unit.id, default: 1]
        progress.event("start  \(unit.shortID) \(unit.title)\(attempt > 1 ? " (attempt \(attempt))" : "")")
        return true
    }

    // MARK: Finishing

    func reapFinished() {
        for (id, run) in active {
            guard let status = run.process.poll() else { continue }
            active[id] = nil
            gpuPool.release(id)
            finish(run, status: status)
        }
    }

    func finish(_ run: Active, status: WorkerProcess.ExitStatus) {
        let unit = run.unit
        let result = RunResult.read(at: ledger.run(unit.id).result)
        let step = MetricsLine.lastStep(at: ledger.run(unit.id).metrics)
        let elapsed = Date().timeIntervalSince(run.startedAt)
        let timeoutText = options.timeout.map { "timed out after \(SchedulerOptions.describeDuration($0))" } ?? "timed out"
        var failure: String?
        switch status {
        case .exited(0):
            if let result, result.outcome != "done" {
                failure = "worker exited 0 but result.json says '\(result.outcome)'\(result.reason.map { ": \($0)" } ?? "")"
            }
        case .exited(130) where run.timedOut:
            failure = timeoutText
        case .exited(130) where run.stopRequested || (options.interruptsReachWorkers && interrupts() > 0):
            // Interrupted on request after checkpointing: back to pending, resumes next time.
            persist(unit.id) { state in
                state.state = .pending
                state.pid = nil
                state.leaseExpires = nil
                state.step = step
            }
            run.claim.release()
            phases[unit.id] = .waiting
            progress.event("paused \(unit.shortID) \(unit.title) at step \(step.map(String.init) ?? "?")")
            return
        case .exited(130):
            failure = "worker was interrupted from outside the scheduler (exit 130)"
        case .exited(1):
            failure = result?.reason ?? "worker failed (exit 1) without writing a reason"
        case .exited(let code):
            failure = "worker exited with status \(code)"
        case .signaled(let signal):
            if run.timedOut { failure = timeoutText } else if run.stopRequested {
                failure = "killed by \(signalName(signal)) after the interrupt"
            } else {
                failure = "worker killed by \(signalName(signal)) (a trap or crash)"
            }
        }
        if let failure {
            let lines = RunLog.lastLines(in: ledger.run(unit.id))
            record(unit, claim: run.claim, failure: failure, lastLines: lines)
            return
        }
        durations.append(elapsed)
        persist(unit.id) { state in
            state.state = .done
            state.pid = nil
            state.leaseExpires = nil
            state.finishedAt = StateFile.timestamp()
            state.error = nil
            state.step = step
        }
        run.claim.release()
        phases[unit.id] = .done
        progress.event("done   \(unit.shortID) \(unit.title) in \(SchedulerOptions.describeDuration(elapsed.rounded()))")
    }

    /// Records a failed attempt; retries it when attempts remain, else marks it failed.
    func record(_ unit: ScheduledRun, claim: RunClaim, failure: String, lastLines: [String]) {
        let failure = options.job.map { job in "\(failure) (job \(job)\(options.jobLog.map { ", log \($0)" } ?? ""))" } ?? failure
        let retry = !stopping && !options.failFast && (attempts[unit.id] ?? 0) < options.maxAttempts
        persist(unit.id) { state in
            state.state = .failed
            state.pid = nil
            state.leaseExpires = nil
            state.finishedAt = StateFile.timestamp()
            state.error = failure
            state.lastLogLines = lastLines
            state.step = MetricsLine.lastStep(at: ledger.run(unit.id).metrics)
        }
        claim.release()
        progress.event("FAILED \(unit.shortID) \(unit.title): \(failure)\(retry ? " (retrying)" : "")")
        if retry {
            phases[unit.id] = .waiting
            return
        }
        phases[unit.id] = .failed
        reasons[unit.id] = failure
        if options.failFast, !stopping { stop(reason: "stopping: --fail-fast and a run failed") }
    }

    func fail(_ unit: ScheduledRun, reason: String, lastLines: [String]) {
        phases[unit.id] = .failed
        reasons[unit.id] = reason
        progress.event("FAILED \(unit.shortID) \(unit.title): \(reason)")
    }

    // MARK: Stopping, deadlines, heartbeat

    /// Stops launching and lets running workers checkpoint: sends them SIGTERM unless they got
    /// the signal already (then only the SIGKILL after the grace period is sent, if needed).
    func stop(reason: String, signalWorkers: Bool = true) {
        stopping = true
        progress.event(reason)
        let now = Date()
        for run in active.values where run.terminationSentAt == nil {
            run.stopRequested = true
            run.terminationSentAt = now
            if signalWorkers { run.process.send(SIGTERM) }
        }
    }

    func killEverything() {
        progress.event("interrupted again: killing workers")
        for run in active.values { run.process.send(SIGKILL) }
        for (id, run) in active {
            _ = run.process.wait()
            let step = MetricsLine.lastStep(at: ledger.run(id).metrics)
            persist(id) { state in
                state.state = .pending
                state.pid = nil
                state.leaseExpires = nil
                state.step = step
            }
            run.claim.release()
            gpuPool.release(id)
            phases[id] = .waiting
        }
        active.removeAll()
    }

    func enforceDeadlines() {
        let now = Date()
        for run in active.values {
            if let sent = run.terminationSentAt {
                if now.timeIntervalSince(sent) > options.terminationGrace { run.process.send(SIGKILL) }
            } else if let timeout = options.timeout, now.timeIntervalSince(run.startedAt) > timeout {
                run.timedOut = true
                run.terminationSentAt = now
                run.process.send(SIGTERM)
            }
        }
    }

    func heartbeatIfDue() {
        let now = Date()
        guard now.timeIntervalSince(lastHeartbeat) >= options.heartbeat else { return }
        lastHeartbeat = now
        let lease = StateFile.timestamp(now.addingTimeInterval(options.lease))
        for (id, run) in active {
            run.claim.renew(pid: run.process.pid, host: host, leaseExpires: lease)
            let step = MetricsLine.lastStep(at: ledger.run(id).metrics)
            persist(id) { state in
                state.leaseExpires = lease
                state.step = step
            }
        }
    }

    /// A dependency that is not one of this scheduler's units (a stage trained by another array)
    /// as the store records it.
    func recordedPhase(_ id: String) -> Phase {
        switch ledger.readState(id)?.state {
        case .done?: return .done
        case .failed?: return .failed
        default: return options.pull ? .elsewhere : .done
        }
    }

    func markUnreachableAsBlocked() {
        for unit in units where phases[unit.id] == .waiting {
            phases[unit.id] = .blocked
            reasons[unit.id] = "a stage it needs did not finish"
        }
    }

    /// Updates a run's state.json; a failed write is reported, and the run goes on (its worker's
    /// own files are intact, and the next `ablate run` sees the run as stale and checks it).
    func persist(_ id: String, _ change: (inout StateFile) -> Void) {
        do {
            try ledger.updateState(id, change)
        } catch {
            progress.event("WARNING cannot record the state of \(id.prefix(12)): \(error)")
        }
    }

    // MARK: Reporting

    func snapshot() -> ProgressSnapshot {
        var snapshot = ProgressSnapshot()
        for unit in units {
            switch phases[unit.id] ?? .waiting {
            case .done: snapshot.done += 1
            case .failed: snapshot.failed += 1
            case .blocked: snapshot.blocked += 1
            case .waiting, .elsewhere: snapshot.pending += 1
            case .running: snapshot.running += 1
            }
        }
        let now = Date()
        for unit in units {
            guard let run = active[unit.id] else { continue }
            snapshot.runningRuns.append(.init(shortID: unit.shortID, title: unit.title, step: MetricsLine.lastStep(at: ledger.run(unit.id).metrics),
                                              totalSteps: ledger.readState(unit.id)?.totalSteps,
                                              elapsed: now.timeIntervalSince(run.startedAt)))
        }
        if !durations.isEmpty {
            let mean = durations.reduce(0, +) / Double(durations.count)
            let started = snapshot.runningRuns.reduce(0) { $0 + min($1.elapsed, mean) }
            snapshot.eta = max(0, mean * Double(snapshot.pending + snapshot.running) - started) / Double(options.jobs)
        }
        return snapshot
    }

    func outcome(interrupted: Bool) -> SweepOutcome {
        var outcome = SweepOutcome()
        outcome.interrupted = interrupted
        for unit in units {
            switch phases[unit.id] ?? .waiting {
            case .done: outcome.done.append(unit.id)
            case .failed: outcome.failed.append((unit.id, reasons[unit.id] ?? "failed"))
            case .blocked: outcome.blocked.append(unit.id)
            case .waiting, .running, .elsewhere: outcome.pending.append(unit.id)
            }
            if attempts[unit.id] != nil { outcome.attempted.insert(unit.id) }
        }
        return outcome
    }
}
