import NIOCore
import Testing

@testable import SMB2

@Suite("CREATE, QUERY_DIRECTORY, CLOSE and TRANSFORM_HEADER codecs")
struct CreateQueryCloseCodecTests {
    @Test func encodesDirectoryOpen() {
        var body = ByteBuffer()
        SMB2CreateRequest.openDirectory("a\\b").encode(into: &body)
        #expect(
            body.bytes.hexString
                == ([UInt8](
                    hex:
                        """
                        3900 00 00 02000000 0000000000000000 0000000000000000
                        81001000 00000000 07000000 01000000 01000000
                        7800 0600 00000000 00000000 61005c006200
                        """
                ).hexString))
    }

    @Test func emptyNameStillCarriesOneByte() throws {
        var body = ByteBuffer()
        SMB2CreateRequest.openDirectory("").encode(into: &body)
        #expect(body.readableBytes == 57)
        #expect(body.getInteger(at: 46, endianness: .little, as: UInt16.self) == 0)
    }

    static let createResponse = [UInt8](
        hex:
            """
            5900 00 00 01000000 0100000000000000 0200000000000000 0300000000000000 0400000000000000
            0000100000000000 0000000000000000 10000000 00000000
            1100000000000000 2200000000000000 00000000 00000000
            """)

    @Test func decodesCreateResponse() throws {
        var header = SMB2Header(command: .create)
        header.flags = .serverToRedir
        let bytes = message(header) { $0.writeBytes(Self.createResponse) }.bytes
        let response = try SMB2CreateResponse.decode(from: ByteBuffer(bytes: bytes))
        #expect(response.fileID == SMB2FileID(persistent: 0x11, volatile: 0x22))
        #expect(response.fileAttributes == 0x10)
        #expect(response.lastWriteTime == 3)
        expectEveryTruncationThrows(bytes) { _ = try SMB2CreateResponse.decode(from: ByteBuffer(bytes: $0)) }
        var lying = bytes
        lying[64 + 84] = 0xFF  // CreateContextsLength beyond the message
        #expect(throws: SMB2Error.self) { try SMB2CreateResponse.decode(from: ByteBuffer(bytes: lying)) }
    }

    @Test func encodesQueryDirectoryAndClose() throws {
        var query = ByteBuffer()
        SMB2QueryDirectoryRequest(flags: 1, fileID: .related, pattern: "*", outputBufferLength: 65_536).encode(
            into: &query)
        #expect(
            query.bytes
                == [UInt8](
                    hex:
                        "2100 25 01 00000000 ffffffffffffffff ffffffffffffffff 6000 0200 00000100 2a00"))
        var close = ByteBuffer()
        SMB2CloseRequest(fileID: SMB2FileID(persistent: 1, volatile: 2)).encode(into: &close)
        #expect(close.bytes == [UInt8](hex: "1800 0000 00000000 0100000000000000 0200000000000000"))
        let closeResponse = message(SMB2Header(command: .close)) { SMB2CloseResponse().encode(into: &$0) }.bytes
        expectEveryTruncationThrows(closeResponse) { _ = try SMB2CloseResponse.decode(from: ByteBuffer(bytes: $0)) }
    }

    /// Two FileIdBothDirectoryInformation entries as Windows lays them out ([MS-FSCC] 2.4.17).
    static let twoEntries = [UInt8](
        hex:
            """
            78000000 00000000 0000d0a4a0c5d901 0000d0a4a0c5d901 00c0b2dfdd5dda01 00c0b2dfdd5dda01
            0010000000000000 0010000000000000 20000000 0a000000 00000000 00 00
            000000000000000000000000000000000000000000000000 0000 0000000000000000
            61002e00620061006b00 000000000000
            00000000 00000000 0000d0a4a0c5d901 0000d0a4a0c5d901 0000d0a4a0c5d901 0000d0a4a0c5d901
            0000000000000000 0000000000000000 10000000 0c000000 00000000 00 00
            000000000000000000000000000000000000000000000000 0000 0000000000000000
            e9007400e90020003d d8 00de
            """)

    @Test func decodesEntryChainWithNamesTimesAndSizes() throws {
        let entries = try SMB2QueryDirectoryResponse.decodeEntries(
            ByteBuffer(bytes: Self.twoEntries), informationClass: .fileIdBothDirectoryInformation)
        #expect(entries.count == 2)
        #expect(entries[0].name == "a.bak")
        #expect(entries[0].endOfFile == 4096)
        #expect(!entries[0].isDirectory)
        #expect(entries[0].lastWriteTime.raw == 0x01DA_5DDD_DFB2_C000)
        #expect(entries[1].name == "été 😀")
        #expect(entries[1].isDirectory)
        expectEveryTruncationThrows(Self.twoEntries, from: 1) {
            _ = try SMB2QueryDirectoryResponse.decodeEntries(
                ByteBuffer(bytes: $0), informationClass: .fileIdBothDirectoryInformation)
        }
        expectGarbageNeverTraps(Self.twoEntries) {
            _ = try SMB2QueryDirectoryResponse.decodeEntries(
                ByteBuffer(bytes: $0), informationClass: .fileIdBothDirectoryInformation)
        }
    }

    @Test func hostileChainsAreRejected() {
        var backwards = Self.twoEntries
        backwards[0] = 0x08  // NextEntryOffset pointing inside the first entry
        #expect(throws: SMB2Error.self) {
            try SMB2QueryDirectoryResponse.decodeEntries(
                ByteBuffer(bytes: backwards), informationClass: .fileIdBothDirectoryInformation)
        }
        var longName = Self.twoEntries
        longName[60] = 0xFF  // FileNameLength past the buffer
        longName[61] = 0xFF
        #expect(throws: SMB2Error.self) {
            try SMB2QueryDirectoryResponse.decodeEntries(
                ByteBuffer(bytes: longName), informationClass: .fileIdBothDirectoryInformation)
        }
    }

    /// A lone surrogate is a name NTFS allows: the entry reads with U+FFFD, and the listing
    /// (with the good backup beside it) survives.
    @Test func aLoneSurrogateInANameKeepsTheListing() throws {
        var badSurrogate = Self.twoEntries
        badSurrogate[badSurrogate.count - 1] = 0x00  // low surrogate replaced by U+0000… high surrogate alone
        let entries = try SMB2QueryDirectoryResponse.decodeEntries(
            ByteBuffer(bytes: badSurrogate), informationClass: .fileIdBothDirectoryInformation)
        #expect(entries.count == 2)
        #expect(entries.first?.name == "a.bak")
        #expect(entries.last?.name.contains("\u{FFFD}") == true)
    }

    @Test(arguments: [SMB2FileInformationClass.fileDirectoryInformation, .fileIdBothDirectoryInformation])
    func entriesRoundTrip(informationClass: SMB2FileInformationClass) throws {
        let entries = (0..<50).map {
            SMB2DirectoryEntry(
                name: "OUTLET\($0)_FULL.bak", lastWriteTime: SMB2FileTime(raw: UInt64($0) << 32),
                creationTime: SMB2FileTime(raw: 7), endOfFile: UInt64($0) * 1_000_003, attributes: .archive)
        }
        var header = SMB2Header(command: .queryDirectory)
        header.flags = .serverToRedir
        let bytes = message(header) {
            SMB2QueryDirectoryResponse(entries: entries).encode(into: &$0, informationClass: informationClass)
        }
        let decoded = try SMB2QueryDirectoryResponse.decode(
            from: bytes, informationClass: informationClass, maxOutput: 65_536)
        #expect(decoded.entries == entries)
        #expect(throws: SMB2Error.self) {
            try SMB2QueryDirectoryResponse.decode(from: bytes, informationClass: informationClass, maxOutput: 100)
        }
    }

    @Test func transformHeaderLayoutAndAAD() throws {
        let header = SMB2TransformHeader(
            signature: Array(repeating: 0xEE, count: 16), nonce: Array(1...11), originalMessageSize: 0x68,
            sessionID: 0x1122_3344_5566_7788)
        var buffer = ByteBuffer()
        header.encode(into: &buffer)
        #expect(
            buffer.bytes
                == [UInt8](
                    hex:
                        """
                        fd534d42 eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee 0102030405060708090a0b0000000000
                        68000000 0000 0100 8877665544332211
                        """))
        #expect(header.associatedData == Array(buffer.bytes[20...]))
        #expect(try SMB2TransformHeader.decode(from: buffer).sessionID == header.sessionID)
        expectEveryTruncationThrows(buffer.bytes) { _ = try SMB2TransformHeader.decode(from: ByteBuffer(bytes: $0)) }
    }

    @Test func fileTimeConvertsToDate() {
        let time = SMB2FileTime(raw: 116_444_736_000_000_000)  // 1970-01-01
        #expect(time.date.timeIntervalSince1970 == 0)
        #expect(SMB2FileTime(date: time.date) == time)
        #expect(SMB2FileTime(raw: 0x01DA_5DDD_DFB2_C000).date.timeIntervalSince1970 > 1_700_000_000)
    }

    @Test func pathsAreNormalised() {
        #expect(SMB2Tree.normalize("/BackupFull/") == "BackupFull")
        #expect(SMB2Tree.normalize("a/b\\c") == "a\\b\\c")
        #expect(SMB2Tree.normalize("") == "")
    }
}
