import NIOCore

/// One request as the upper layers hand it to the connection: the command, the tree it is for,
/// and its encoded body. The state machine adds the header (message id, credits, session),
/// signs or encrypts it, and compounds several into one frame.
struct SMB2Request: Sendable {
    var command: SMB2Command
    var treeID: UInt32
    /// The body only (from StructureSize on); offsets in it are relative to the header start.
    var body: ByteBuffer
    /// The largest response we allow, which sets the CreditCharge ([MS-SMB2] 3.2.4.1.5).
    var expectedResponseSize: Int
    /// In a related compound, this request starts a chain of its own (no
    /// SMB2_FLAGS_RELATED_OPERATIONS), so several independent chains share one frame.
    var startsNewChain = false

    init(
        command: SMB2Command, treeID: UInt32 = 0, expectedResponseSize: Int = 0, encodeBody: (inout ByteBuffer) -> Void
    ) {
        self.command = command
        self.treeID = treeID
        self.expectedResponseSize = expectedResponseSize
        var buffer = ByteBuffer()
        encodeBody(&buffer)
        body = buffer
    }

    /// [MS-SMB2] 3.2.4.1.5: one credit per started 64 KiB of the larger of request and response.
    var creditCharge: Int {
        let payload = max(body.readableBytes, expectedResponseSize)
        return max(1, (payload - 1) / 65_536 + 1)
    }
}

/// One response message: its decoded header and the whole message (header and body) for the
/// body decoders, whose offsets count from the header start.
struct SMB2Response: Sendable {
    var header: SMB2Header
    var message: ByteBuffer

    /// Throws the mapped error unless the status is one of `accepted`.
    func expectStatus(_ accepted: NTStatus..., context: String) throws {
        guard accepted.contains(header.status) else {
            throw SMB2Error.from(status: header.status, context: context)
        }
    }
}
