import XCTest
@testable import Model

final class ModelConfigTests: XCTestCase {
    func testDefaultsAndEncodingWritesEveryField() throws {
        let config = try JSONDecoder().decode(ModelConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(config, ModelConfig())
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        XCTAssertEqual(Set(encoded.keys), ["dim", "layers", "heads", "mlp_dim", "context", "tokenizer", "bpe_vocab", "bpe_spaces", "init_std"])
        let custom = try JSONDecoder().decode(ModelConfig.self, from: Data(#"{"dim": 64, "heads": 8, "mlp_dim": 256, "tokenizer": "bpe", "bpe_vocab": 1024}"#.utf8))
        XCTAssertEqual(custom.dim, 64)
        XCTAssertEqual(custom.headDim, 8)
        XCTAssertEqual(custom.tokenizer, .bpe)
        XCTAssertEqual(try JSONDecoder().decode(ModelConfig.self, from: JSONEncoder().encode(custom)), custom)
    }

    func testBadValuesSayWhatIsAllowed() {
        func message(_ json: String) -> String {
            do {
                _ = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(message(#"{"dim": 130, "heads": 4}"#).contains("divisible by heads"))
        XCTAssertTrue(message(#"{"tokenizer": "words"}"#).contains("expected one of bytes, bpe"))
        XCTAssertTrue(message(#"{"layers": 0}"#).contains("0 is not allowed: expected an integer ≥ 1"))
        XCTAssertTrue(message(#"{"bpe_vocab": 100}"#).contains("expected an integer ≥ 257"))
        XCTAssertTrue(message(#"{"init_std": -1}"#).contains("init_std"))
    }
}
