import Config
import Foundation
import RunStore

/// The GPUs a local sweep hands out: each run with `trainer.gpus: N` gets N of them for its
/// lifetime, as `CUDA_VISIBLE_DEVICES`; a run waits while too few are free.
public struct GPUPool {
    /// Device ids, as `CUDA_VISIBLE_DEVICES` names them.
    let devices: [String]
    private var holders: [String: String] = [:]   // device → run id

    init(devices: [String]) {
        self.devices = devices
    }

    var freeCount: Int { devices.count - holders.count }

    /// Takes `count` free devices for `run`; nil when fewer are free.
    mutating func take(_ count: Int, for run: String) -> [String]? {
        let free = devices.filter { holders[$0] == nil }
        guard free.count >= count else { return nil }
        let taken = Array(free.prefix(count))
        for device in taken { holders[device] = run }
        return taken
    }

    mutating func release(_ run: String) {
        holders = holders.filter { $0.value != run }
    }

    /// The pool when none is given: `CUDA_VISIBLE_DEVICES` of this process, else one id per
    /// `/dev/nvidiaN` device file, else empty.
    static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let visible = environment["CUDA_VISIBLE_DEVICES"] {
            return visible.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
        return files.compactMap { name -> Int? in
            guard name.hasPrefix("nvidia"), let index = Int(name.dropFirst("nvidia".count)) else { return nil }
            return index
        }.sorted().map(String.init)
    }

    /// GPUs a run asks for (`trainer.gpus` in its config.json; 0 when unreadable or in-process).
    public static func need(runDirectory: String) -> Int {
        let config = (try? ConfigFile.read(at: RunDirectory(runDirectory).config)) ?? nil
        guard case .scalar(.int(let gpus))? = config?.value(atPath: "trainer.gpus")?.value else { return 0 }
        return gpus
    }
}
