/// Errors of the SMB2 crypto primitives ([MS-SMB2] 3.1.4.3 encryption, 3.1.5.1 decryption).
struct SMB2CryptoError: Error, Equatable, CustomStringConvertible {
    /// What went wrong.
    enum Code: Equatable, Sendable {
        /// The authentication tag did not match: the message was altered, or the key or nonce is wrong.
        case authenticationFailed
        /// The key has a length the algorithm does not accept.
        case invalidKeyLength
        /// The nonce has a length the algorithm does not accept.
        case invalidNonceLength
        /// The tag has a length the algorithm does not accept.
        case invalidTagLength
        /// The message is longer than the nonce's length field lets the algorithm protect.
        case messageTooLong
    }

    let code: Code
    /// A sentence for logs; never contains key material.
    let detail: String

    init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    var description: String { "SMB2 crypto error (\(code)): \(detail)" }

    /// Equality compares the code only, so tests and callers can match on the kind of failure.
    static func == (lhs: SMB2CryptoError, rhs: SMB2CryptoError) -> Bool { lhs.code == rhs.code }

    static let authenticationFailed = SMB2CryptoError(.authenticationFailed, "authentication tag mismatch")
}
