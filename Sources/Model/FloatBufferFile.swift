import Basics
import Foundation

/// A problem reading or writing a model file, with the path and what to do about it.
struct ModelFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Binary files of Float32 values: parameters (`parameters.bin`), optimiser moments
/// (`optimizer.bin`), anything flat.
///
/// Layout (little-endian): magic "ABLF" (4 bytes), format version UInt32 = 1, value count
/// UInt64, then the values as IEEE-754 Float32. Several buffers written together are stored back
/// to back under one count. Reading checks magic, version and size, so a truncated or foreign
/// file is reported rather than half-loaded.
public enum FloatBufferFile {
    static let magic: [UInt8] = Array("ABLF".utf8)
    static let version: UInt32 = 1
    static let headerSize = 16

    /// Writes the buffers, concatenated, atomically (temporary file + rename).
    public static func write(_ buffers: [UnsafeBufferPointer<Float>], to url: URL) throws {
        let count = buffers.reduce(0) { $0 + $1.count }
        var data = Data(capacity: headerSize + 4 * count)
        data.append(contentsOf: magic)
        withUnsafeBytes(of: version.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(count).littleEndian) { data.append(contentsOf: $0) }
        for buffer in buffers {
            #if _endian(little)
            data.append(UnsafeBufferPointer(start: UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: UInt8.self),
                                            count: buffer.count * 4))
            #else
            for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            #endif
        }
        do {
            try AtomicFile.write(data, to: url.path)
        } catch {
            throw ModelFileError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Convenience for one buffer.
    public static func write(_ pointer: UnsafePointer<Float>, count: Int, to url: URL) throws {
        try write([UnsafeBufferPointer(start: pointer, count: count)], to: url)
    }

    /// All values in the file.
    public static func read(from url: URL) throws -> [Float] {
        let (data, count) = try load(url)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { copyValues(from: data, into: $0.baseAddress!, count: count) }
        return values
    }

    /// Fills the buffers, in order, from the file, whose value count must equal their total.
    public static func read(from url: URL, into buffers: [UnsafeMutableBufferPointer<Float>]) throws {
        let (data, count) = try load(url)
        let expected = buffers.reduce(0) { $0 + $1.count }
        guard count == expected else {
            throw ModelFileError("\(url.path) holds \(count) values but \(expected) were expected; it belongs to a different model shape")
        }
        var offset = 0
        for buffer in buffers {
            if let base = buffer.baseAddress {
                copyValues(from: data, into: base, count: buffer.count, skipping: offset)
            }
            offset += buffer.count
        }
    }

    private static func load(_ url: URL) throws -> (Data, Int) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelFileError("cannot read \(url.path): \(error.localizedDescription)")
        }
        guard data.count >= headerSize, Array(data.prefix(4)) == magic else {
            throw ModelFileError("\(url.path) is not an Ablate float buffer file (bad magic)")
        }
        let fileVersion = data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) }
        guard fileVersion == version else {
            throw ModelFileError("\(url.path) has format version \(fileVersion); this build reads version \(version)")
        }
        let count = Int(data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) })
        guard data.count == headerSize + 4 * count else {
            throw ModelFileError("\(url.path) should hold \(count) values (\(headerSize + 4 * count) bytes) but has \(data.count) bytes; it is truncated or corrupt")
        }
        return (data, count)
    }

    private static func copyValues(from data: Data, into pointer: UnsafeMutablePointer<Float>, count: Int, skipping offset: Int = 0) {
        data.withUnsafeBytes { raw in
            let start = headerSize + 4 * offset
            for i in 0..<count {
                pointer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
            }
        }
    }
}
