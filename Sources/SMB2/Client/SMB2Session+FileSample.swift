/// A file's first and last bytes, read without disturbing its writer.
public struct SMB2FileSample: Sendable, Hashable {
    /// The first `blockSize` bytes (the whole file when it is smaller).
    public var head: [UInt8]
    /// The bytes read at `tailOffset` (empty when `head` holds the whole file).
    public var tail: [UInt8]
    public var tailOffset: UInt64
    /// The file's size when it was opened (CREATE's EndOfFile): it may differ from the
    /// listing's when the file is still being written.
    public var endOfFile: UInt64
}

extension SMB2Session {
    /// Reads the first and last `blockSize` bytes of `path` on `share` with TREE_CONNECT,
    /// CREATE (read access, sharing read, write and delete), READ, READ, CLOSE and
    /// TREE_DISCONNECT as one related compound ([MS-SMB2] 3.2.4.1.4): one round trip.
    ///
    /// `size` is the size the listing showed, which places the last block; if the file has
    /// another size when opened, the sample says so (`endOfFile`) and the caller decides.
    /// A share that demands encryption the session does not have is read step by step.
    public func readSample(share: String, path: String, size: UInt64, blockSize: Int) async throws
        -> SMB2FileSample
    {
        // Without multi-credit (SMB 2.0.2) a request may carry at most 64 KiB ([MS-SMB2] 3.2.4.1.5).
        let ceiling = gauge.multiCredit ? min(Int(negotiated.maxTransactSize), 8 * 1_048_576) : 65_536
        let block = UInt32(max(512, min(blockSize, ceiling)))
        let name = SMB2Tree.normalize(path)
        let reads = Self.sampleReads(size: size, block: block)
        let treePath = "\\\\\(host)\\\(share)"
        var treeConnect = SMB2Request(
            command: .treeConnect, encodeBody: SMB2TreeConnectRequest(path: treePath).encode(into:))
        treeConnect.startsNewChain = true
        let chain =
            [treeConnect] + Self.sampleChain(treeID: Self.relatedTreeID, name: name, reads: reads)
            + [
                SMB2Request(
                    command: .treeDisconnect, treeID: Self.relatedTreeID, encodeBody: SMB2EmptyBody.encode(into:))
            ]
        let charge = chain.reduce(0) { $0 + $1.creditCharge }
        if gauge.credits >= charge {
            let responses = try await send(chain, related: true)
            try responses[0].expectStatus(.success, context: "TREE_CONNECT \(treePath)")
            let connected = try SMB2TreeConnectResponse.decode(from: responses[0].message)
            if !connected.shareFlags.contains(.encryptData) || negotiated.sessionEncrypted {
                return try Self.sample(from: responses[1...], reads: reads, name: name, share: share)
            }
        }
        return try await withTree(share) { tree in
            let responses = try await send(
                Self.sampleChain(treeID: tree.treeID, name: name, reads: reads), related: true)
            return try Self.sample(from: responses[...], reads: reads, name: name, share: share)
        }
    }

    /// (offset, length) of the head read and, for a file larger than one block, the tail read.
    static func sampleReads(size: UInt64, block: UInt32) -> [(offset: UInt64, length: UInt32)] {
        guard size > UInt64(block) else { return [(0, block)] }
        return [(0, block), (size - UInt64(block), block)]
    }

    static func sampleChain(treeID: UInt32, name: String, reads: [(offset: UInt64, length: UInt32)])
        -> [SMB2Request]
    {
        var chain = [
            SMB2Request(
                command: .create, treeID: treeID,
                encodeBody: SMB2CreateRequest.openFileForReading(name).encode(into:))
        ]
        for read in reads {
            let request = SMB2ReadRequest(fileID: .related, offset: read.offset, length: read.length)
            chain.append(
                SMB2Request(
                    command: .read, treeID: treeID, expectedResponseSize: Int(read.length),
                    encodeBody: request.encode(into:)))
        }
        chain.append(SMB2Tree.closeRequest(treeID: treeID, .related))
        return chain
    }

    /// The sample from the answers to `sampleChain` (CREATE, READs, CLOSE).
    static func sample(
        from responses: ArraySlice<SMB2Response>, reads: [(offset: UInt64, length: UInt32)], name: String,
        share: String
    ) throws -> SMB2FileSample {
        let start = responses.startIndex
        try responses[start].expectStatus(.success, context: "open file \"\(name)\" on \(share)")
        let created = try SMB2CreateResponse.decode(from: responses[start].message)
        var data: [[UInt8]] = []
        for (index, read) in reads.enumerated() {
            let response = responses[start + 1 + index]
            switch response.header.status {
            case .success:
                data.append(try SMB2ReadResponse.decode(from: response.message, maxLength: read.length).data)
            case .endOfFile:
                data.append([])  // the file is shorter than the listing said
            default:
                throw SMB2Error.from(status: response.header.status, context: "read \"\(name)\" on \(share)")
            }
        }
        return SMB2FileSample(
            head: data[0], tail: data.count > 1 ? data[1] : [], tailOffset: reads.count > 1 ? reads[1].offset : 0,
            endOfFile: created.endOfFile)
    }
}
