import NIOCore
import Testing

@testable import SMB2

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}

/// Encodes a whole message (header + body) the way the state machine does.
func message(_ header: SMB2Header, body: (inout ByteBuffer) -> Void) -> ByteBuffer {
    var buffer = ByteBuffer()
    header.encode(into: &buffer)
    body(&buffer)
    return buffer
}

/// Every proper prefix of `bytes` must make `decode` throw an SMB2 protocol error (never trap).
func expectEveryTruncationThrows(
    _ bytes: [UInt8], from start: Int = 0, sourceLocation: SourceLocation = #_sourceLocation,
    _ decode: ([UInt8]) throws -> Void
) {
    for length in start..<bytes.count {
        do {
            try decode(Array(bytes.prefix(length)))
            Issue.record("decoding \(length) of \(bytes.count) bytes did not throw", sourceLocation: sourceLocation)
        } catch let error as SMB2Error {
            #expect(error.category == .protocolError, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Random mutations of `bytes` must either decode or throw an SMB2Error — never crash.
func expectGarbageNeverTraps(_ bytes: [UInt8], rounds: Int = 2000, _ decode: ([UInt8]) throws -> Void) {
    var generator = SplitMix64(seed: 0x5EED)
    for _ in 0..<rounds {
        var mutated = bytes
        let flips = Int.random(in: 1...8, using: &generator)
        for _ in 0..<flips where !mutated.isEmpty {
            mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        }
        do {
            try decode(mutated)
        } catch is SMB2Error {
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }
}

/// A small deterministic generator so garbage tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
