import Foundation

/// Why a file cannot be read, said as a fix.
public enum UnreadableFile {
    /// `no such file (looked for …)`, `… is a directory; name a file`, or a permissions hint.
    public static func reason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file (looked for \(path))" }
        if isDirectory.boolValue { return "\(path) is a directory; name a file" }
        return "cannot read \(path) (check its permissions)"
    }
}
