/// What the server and this client agreed on for a session: everything a monitor prints
/// about the security of an outlet connection.
public struct SMB2NegotiatedParameters: Sendable, Hashable, CustomStringConvertible {
    /// The dialect of the connection ([MS-SMB2] 2.2.4 DialectRevision).
    public var dialect: SMB2Dialect
    /// The server's NEGOTIATE response demanded signing (SMB2_NEGOTIATE_SIGNING_REQUIRED).
    public var serverRequiresSigning: Bool
    /// Messages of this session are signed (requests by us, responses verified).
    public var isSigned: Bool
    /// The signing algorithm in use, nil when the session is not signed.
    public var signingAlgorithm: SMB2SigningAlgorithm?
    /// The cipher both sides support (SMB 3.x), nil when encryption is not available.
    public var encryptionCipher: SMB2EncryptionCipher?
    /// The server demands encryption for the whole session (SMB2_SESSION_FLAG_ENCRYPT_DATA).
    /// Shares may demand it on their own; see ``SMB2Tree/isEncrypted``.
    public var sessionEncrypted: Bool
    /// The largest transaction the server accepts, bounding one QUERY_DIRECTORY answer.
    public var maxTransactSize: UInt32

    public init(
        dialect: SMB2Dialect, serverRequiresSigning: Bool, isSigned: Bool,
        signingAlgorithm: SMB2SigningAlgorithm?, encryptionCipher: SMB2EncryptionCipher?,
        sessionEncrypted: Bool, maxTransactSize: UInt32
    ) {
        self.dialect = dialect
        self.serverRequiresSigning = serverRequiresSigning
        self.isSigned = isSigned
        self.signingAlgorithm = signingAlgorithm
        self.encryptionCipher = encryptionCipher
        self.sessionEncrypted = sessionEncrypted
        self.maxTransactSize = maxTransactSize
    }

    /// For example "SMB 3.1.1, signed with AES-128-GMAC (server requires), encryption AES-128-GCM".
    public var description: String {
        var parts = ["SMB \(dialect)"]
        if isSigned, let signingAlgorithm {
            parts.append(
                "signed with \(signingAlgorithm)" + (serverRequiresSigning ? " (server requires)" : ""))
        } else {
            parts.append("unsigned")
        }
        if let encryptionCipher {
            parts.append(
                "encryption \(encryptionCipher)" + (sessionEncrypted ? " (session encrypted)" : " available"))
        } else {
            parts.append("no encryption")
        }
        return parts.joined(separator: ", ")
    }
}
