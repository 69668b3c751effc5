import Foundation
import TestSupport
import XCTest
@testable import Basics

final class FileAndHashTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testAtomicWritesLeaveNoTemporaryFilesAndReplaceWhole() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/state.json"
        try AtomicFile.write("first version, longer", to: path)
        try AtomicFile.write("second", to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "second")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["state.json"])
    }

    func testCreateIfAbsentNeverOverwrites() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/state.json"
        XCTAssertTrue(try AtomicFile.createIfAbsent(Data("running".utf8), at: path))
        XCTAssertFalse(try AtomicFile.createIfAbsent(Data("pending".utf8), at: path))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "running")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["state.json"])
    }

}
