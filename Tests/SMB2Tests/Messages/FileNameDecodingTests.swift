import Testing

@testable import SMB2

/// A file name NTFS allows but UTF-16 does not (a lone surrogate, an odd byte count) reads with
/// U+FFFD in its place: one odd file must not fail an outlet's listing (a daily false alarm).
@Suite("Directory entry names that are no valid UTF-16")
struct FileNameDecodingTests {
    @Test(
        arguments: [
            ([0x41, 0x00, 0x00, 0xD8, 0x42, 0x00], "A\u{FFFD}B"),  // a lone high surrogate
            ([0x00, 0xDC, 0x2E, 0x00], "\u{FFFD}."),  // a lone low surrogate
            ([0x61, 0x00, 0x62], "a\u{FFFD}"),  // an odd byte count
            ([0x3D, 0xD8, 0x00, 0xDE], "\u{1F600}"),  // a valid pair stays itself
        ] as [([UInt8], String)])
    func invalidUnitsReadAsReplacementCharacters(_ bytes: [UInt8], _ expected: String) throws {
        let reader = WireReader(bytes: bytes, what: "QUERY_DIRECTORY entry")
        #expect(try reader.fileName(at: 0, byteCount: bytes.count) == expected)
    }

    /// Elsewhere (negotiation, NTLM, tree paths) invalid UTF-16 is still a protocol error.
    @Test func otherStringsStayStrict() {
        let reader = WireReader(bytes: [0x00, 0xD8], what: "TREE_CONNECT request")
        #expect(throws: SMB2Error.self) { try reader.utf16String(at: 0, byteCount: 2) }
    }
}
