import COpenBLAS
import Foundation

/// The OpenBLAS kernel set and thread count this process runs with.
///
/// OpenBLAS 0.3.21 does not recognise AVX-512 on recent AMD CPUs and falls back to AVX2 kernels;
/// `OPENBLAS_CORETYPE=SkylakeX` doubles sgemm throughput there. The library reads the variable
/// when it loads, so it only takes effect in a process started with it: Ablate re-executes itself
/// once with the variable set. A user who set it keeps their choice.
public enum KernelSet {
    static let environmentVariable = "OPENBLAS_CORETYPE"
    static let fastKernelSet = "SkylakeX"
    /// Set on the re-executed process so that it never loops.
    static let reexecutedMarker = "ABLATE_KERNELSET_REEXEC"

    /// Whether `/proc/cpuinfo` lists the `avx512f` flag.
    static var cpuHasAVX512: Bool {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            return line.split(separator: " ").contains("avx512f")
        }
        return false
    }

    /// The kernel set to put in the environment of this process's children (workers), or nil to
    /// leave theirs alone.
    public static var preferredCoreType: String? {
        if let chosen = ProcessInfo.processInfo.environment[environmentVariable], !chosen.isEmpty { return chosen }
        return cpuHasAVX512 ? fastKernelSet : nil
    }

    /// Replaces this process with itself, `OPENBLAS_CORETYPE` set, when the CPU has AVX-512 and
    /// the user did not choose a kernel set. Returns normally when nothing needs doing or the
    /// re-exec fails (the process then runs on the auto-selected kernels).
    public static func reexecuteWithFastestKernelsIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        if environment[environmentVariable] != nil || environment[reexecutedMarker] != nil { return }
        guard cpuHasAVX512 else { return }
        setenv(environmentVariable, fastKernelSet, 1)
        setenv(reexecutedMarker, "1", 1)
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // execv returned: it failed. Carry on in this process with the default kernels.
        for pointer in argv { free(pointer) }
        unsetenv(environmentVariable)
    }

    /// The name OpenBLAS gives the kernel set it is running (e.g. "SkylakeX", "Haswell").
    public static var activeCoreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    public static func setThreadCount(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }
}
