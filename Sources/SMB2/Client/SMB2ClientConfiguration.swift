/// Settings of an ``SMB2Client``; the defaults suit scanning many Windows servers.
public struct SMB2ClientConfiguration: Sendable {
    /// When requests are signed.
    public enum SigningPolicy: Sendable, Hashable {
        /// Sign every request and verify every response (recommended; Samba and Windows refuse
        /// unsigned SMB 3.x trees anyway).
        case always
        /// Sign only when the server requires it or the dialect is SMB 3.x (allows unsigned
        /// SMB 2.0.2/2.1 sessions with servers that permit them).
        case whenRequired
    }

    /// Deadline for the TCP connection; a miss is reported as `unreachable`.
    public var connectTimeout: Duration = .seconds(5)
    /// Deadline for each request after connecting (the whole session setup counts as one); a
    /// miss is reported as `timeout` and closes the connection.
    public var requestTimeout: Duration = .seconds(10)
    /// Dialects offered in NEGOTIATE.
    public var dialects: [SMB2Dialect] = SMB2Dialect.all
    /// Largest frame accepted from the server; larger length prefixes are protocol errors.
    public var maxFrameSize: Int = 8 * 1_048_576 + 4096
    public var signingPolicy: SigningPolicy = .always
    /// Signing algorithms offered to SMB 3.1.1 servers, most preferred first.
    public var signingAlgorithms: [SMB2SigningAlgorithm] = [.aesGMAC, .aesCMAC, .hmacSHA256]
    /// Ciphers offered to SMB 3.x servers, most preferred first.
    public var ciphers: [SMB2EncryptionCipher] = [.aes128GCM, .aes128CCM]
    /// Output buffer of one QUERY_DIRECTORY (bounded by the server's MaxTransactSize and by
    /// 64 KiB when multi-credit requests are not supported).
    public var queryDirectoryBufferSize: Int = 1_048_576
    /// A listing with more entries than this is refused as a protocol error, bounding memory
    /// against a hostile server that never ends its listing.
    public var maxDirectoryEntries: Int = 1_000_000
    /// The workstation name sent in NTLM AUTHENTICATE.
    public var workstation: String = ""

    public init() {}
}
