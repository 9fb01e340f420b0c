import Logging
import NIOCore

/// A connected share ([MS-SMB2] 3.2.4.2.4 TREE_CONNECT). Obtained from
/// ``SMB2Session/withTree(_:isolation:_:)``.
public final class SMB2Tree: Sendable {
    public let share: String
    /// Messages for this tree are encrypted (session or share demands it).
    public let isEncrypted: Bool
    let treeID: UInt32
    let session: SMB2Session

    init(session: SMB2Session, share: String, treeID: UInt32, isEncrypted: Bool) {
        self.session = session
        self.share = share
        self.treeID = treeID
        self.isEncrypted = isEncrypted
    }

    /// Lists a folder of the share (path relative to the share root, `/` or `\` separated, ""
    /// for the root) in as few round trips as possible: CREATE + QUERY_DIRECTORY +
    /// QUERY_DIRECTORY + CLOSE as one compound ([MS-SMB2] 3.2.4.1.4); only a folder that does not
    /// fit in two answers is listed again with a QUERY_DIRECTORY loop until
    /// STATUS_NO_MORE_FILES. "." and ".." are left out; STATUS_NO_SUCH_FILE (nothing matches
    /// `pattern`) is an empty listing.
    public func listDirectory(_ path: String, pattern: String = "*") async throws -> [SMB2DirectoryEntry] {
        let name = Self.normalize(path)
        if let entries = try await listCompounded(name, pattern: pattern) {
            return entries
        }
        return try await listLooping(name, pattern: pattern)
    }

    /// "/BackupFull/" or "\\BackupFull" → "BackupFull"; "a/b" → "a\\b".
    static func normalize(_ path: String) -> String {
        path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).joined(separator: "\\")
    }

    static let informationClass: SMB2FileInformationClass = .fileIdBothDirectoryInformation
    private var informationClass: SMB2FileInformationClass { Self.informationClass }

    /// The output buffer for one QUERY_DIRECTORY, within the server's limit and our credits.
    private func bufferSize(creditShare: Int) -> Int {
        Self.bufferSize(creditShare: creditShare, session: session)
    }

    static func bufferSize(creditShare: Int, session: SMB2Session) -> Int {
        let configured = max(65_536, session.configuration.queryDirectoryBufferSize)
        guard session.gauge.multiCredit else { return 65_536 }
        let byCredits = max(1, creditShare) * 65_536
        return min(configured, Int(session.negotiated.maxTransactSize), byCredits)
    }

    private func queryRequest(fileID: SMB2FileID, pattern: String, restart: Bool, size: Int) -> SMB2Request {
        Self.queryRequest(treeID: treeID, fileID: fileID, pattern: pattern, restart: restart, size: size)
    }

    static func queryRequest(treeID: UInt32, fileID: SMB2FileID, pattern: String, restart: Bool, size: Int)
        -> SMB2Request
    {
        let query = SMB2QueryDirectoryRequest(
            informationClass: informationClass, flags: restart ? SMB2QueryDirectoryRequest.restartScans : 0,
            fileID: fileID, pattern: pattern, outputBufferLength: UInt32(size))
        return SMB2Request(
            command: .queryDirectory, treeID: treeID, expectedResponseSize: size, encodeBody: query.encode(into:))
    }

    private func createRequest(_ name: String) -> SMB2Request {
        Self.createRequest(treeID: treeID, name)
    }

    static func createRequest(treeID: UInt32, _ name: String) -> SMB2Request {
        SMB2Request(command: .create, treeID: treeID, encodeBody: SMB2CreateRequest.openDirectory(name).encode(into:))
    }

    private func closeRequest(_ fileID: SMB2FileID) -> SMB2Request {
        Self.closeRequest(treeID: treeID, fileID)
    }

    static func closeRequest(treeID: UInt32, _ fileID: SMB2FileID) -> SMB2Request {
        SMB2Request(command: .close, treeID: treeID, encodeBody: SMB2CloseRequest(fileID: fileID).encode(into:))
    }

    /// CREATE (folder), QUERY_DIRECTORY, QUERY_DIRECTORY, CLOSE: the related chain that lists a
    /// folder in one round trip ([MS-SMB2] 3.2.4.1.4).
    static func listingChain(treeID: UInt32, folder name: String, pattern: String, size: Int) -> [SMB2Request] {
        [
            createRequest(treeID: treeID, name),
            queryRequest(treeID: treeID, fileID: .related, pattern: pattern, restart: true, size: size),
            queryRequest(treeID: treeID, fileID: .related, pattern: pattern, restart: false, size: size),
            closeRequest(treeID: treeID, .related),
        ]
    }

    /// The answers to `listingChain`: the entries, or nil when the folder holds more than the
    /// two QUERY_DIRECTORY answers carried.
    static func entries(
        fromListingChain responses: ArraySlice<SMB2Response>, folder name: String, share: String, size: Int
    ) throws -> [SMB2DirectoryEntry]? {
        let start = responses.startIndex
        try responses[start].expectStatus(.success, context: "open folder \"\(name)\" on \(share)")
        var entries: [SMB2DirectoryEntry] = []
        var complete = false
        for (index, response) in responses[(start + 1)...(start + 2)].enumerated() {
            switch response.header.status {
            case .success:
                let page = try SMB2QueryDirectoryResponse.decode(
                    from: response.message, informationClass: informationClass, maxOutput: UInt32(size)
                ).entries
                if page.isEmpty { complete = true }
                entries += page
            case .noMoreFiles:
                complete = true
            case .noSuchFile where index == 0:
                complete = true
            default:
                throw SMB2Error.from(status: response.header.status, context: "list folder \"\(name)\" on \(share)")
            }
            if complete { break }
        }
        return complete ? withoutDotEntries(entries) : nil
    }

    /// One round trip; nil when the folder holds more than the two answers carried.
    private func listCompounded(_ name: String, pattern: String) async throws -> [SMB2DirectoryEntry]? {
        let size = bufferSize(creditShare: (session.gauge.credits - 2) / 2)
        let responses = try await session.send(
            Self.listingChain(treeID: treeID, folder: name, pattern: pattern, size: size), related: true)
        return try Self.entries(fromListingChain: responses[...], folder: name, share: share, size: size)
    }

    /// CREATE, QUERY_DIRECTORY until STATUS_NO_MORE_FILES, CLOSE (also on error).
    private func listLooping(_ name: String, pattern: String) async throws -> [SMB2DirectoryEntry] {
        let created = try await session.send([createRequest(name)])[0]
        try created.expectStatus(.success, context: "open folder \"\(name)\" on \(share)")
        let fileID = try SMB2CreateResponse.decode(from: created.message).fileID
        do {
            var entries: [SMB2DirectoryEntry] = []
            var first = true
            loop: while true {
                let size = bufferSize(creditShare: session.gauge.credits)
                let response = try await session.send([
                    queryRequest(fileID: fileID, pattern: pattern, restart: first, size: size)
                ])[0]
                switch response.header.status {
                case .success:
                    let page = try decodePage(response, size: size)
                    if page.isEmpty { break loop }
                    entries += page
                    guard entries.count <= session.configuration.maxDirectoryEntries else {
                        throw SMB2Error.protocolError(
                            "folder listing exceeds \(session.configuration.maxDirectoryEntries) entries")
                    }
                case .noMoreFiles:
                    break loop
                case .noSuchFile where first:
                    break loop
                default:
                    throw SMB2Error.from(status: response.header.status, context: "list folder \"\(name)\" on \(share)")
                }
                first = false
            }
            _ = try? await session.send([closeRequest(fileID)])
            return Self.withoutDotEntries(entries)
        } catch {
            if session.channel.isActive {
                _ = try? await session.send([closeRequest(fileID)])
            }
            throw error
        }
    }

    private func decodePage(_ response: SMB2Response, size: Int) throws -> [SMB2DirectoryEntry] {
        try SMB2QueryDirectoryResponse.decode(
            from: response.message, informationClass: informationClass, maxOutput: UInt32(size)
        ).entries
    }

    static func withoutDotEntries(_ entries: [SMB2DirectoryEntry]) -> [SMB2DirectoryEntry] {
        entries.filter { $0.name != "." && $0.name != ".." }
    }

    /// TREE_DISCONNECT, best effort and without waiting for the answer: the server handles
    /// requests of a connection in order, so whatever the session sends next finds the tree
    /// gone, and closing the connection disconnects it anyway; a scan saves one round trip per
    /// share.
    func disconnect() {
        guard session.channel.isActive else { return }
        let logger = session.logger
        session.post([SMB2Request(command: .treeDisconnect, treeID: treeID, encodeBody: SMB2EmptyBody.encode(into:))])
            .whenFailure { error in logger.debug("TREE_DISCONNECT failed", metadata: ["smb2_error": "\(error)"]) }
    }
}
