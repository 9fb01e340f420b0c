import NIOCore

/// [MS-SMB2] 2.2.41 SMB2 TRANSFORM_HEADER, which wraps an encrypted message (or compound
/// chain) for SMB 3.x.
struct SMB2TransformHeader: Hashable, Sendable {
    static let size = 52
    static let protocolID: [UInt8] = [0xFD, 0x53, 0x4D, 0x42]  // 0xFD 'S' 'M' 'B'
    /// Flags/EncryptionAlgorithm value 0x0001: "Encrypted".
    static let encryptedFlag: UInt16 = 0x0001

    var signature: [UInt8] = Array(repeating: 0, count: 16)
    /// 16 bytes on the wire; the first 11 (CCM) or 12 (GCM) are the nonce, the rest zero.
    var nonce: [UInt8]
    var originalMessageSize: UInt32
    var flags: UInt16 = encryptedFlag
    var sessionID: UInt64

    /// The additional authenticated data: the header from Nonce to the end (32 bytes).
    var associatedData: [UInt8] {
        var buffer = ByteBuffer()
        encodeAuthenticated(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    private func encodeAuthenticated(into buffer: inout ByteBuffer) {
        var paddedNonce = Array(nonce.prefix(16))
        paddedNonce += Array(repeating: 0, count: 16 - paddedNonce.count)
        buffer.writeBytes(paddedNonce)
        buffer.writeLE(originalMessageSize)
        buffer.writeLE(UInt16(0))
        buffer.writeLE(flags)
        buffer.writeLE(sessionID)
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeBytes(Self.protocolID)
        buffer.writeBytes(signature.count == 16 ? signature : Array(repeating: 0, count: 16))
        encodeAuthenticated(into: &buffer)
    }

    /// Decodes the header at the start of `frame`; the ciphertext follows it.
    static func decode(from frame: ByteBuffer) throws -> SMB2TransformHeader {
        var reader = WireReader(frame, what: "TRANSFORM_HEADER")
        guard try reader.bytes(4) == protocolID else {
            throw SMB2Error.protocolError("not an SMB2 TRANSFORM_HEADER")
        }
        let signature = try reader.bytes(16)
        let nonce = try reader.bytes(16)
        let size = try reader.u32()
        try reader.skip(2)
        let flags = try reader.u16()
        let session = try reader.u64()
        return SMB2TransformHeader(
            signature: signature, nonce: nonce, originalMessageSize: size, flags: flags,
            sessionID: session)
    }
}
