extension SMB2Session {
    /// TreeId of a related request: "the tree of the previous request in the chain"
    /// ([MS-SMB2] 3.2.4.1.4), here the tree the chain's TREE_CONNECT creates.
    static let relatedTreeID: UInt32 = 0xFFFF_FFFF

    /// Requests one chain needs besides its two QUERY_DIRECTORYs (TREE_CONNECT, CREATE, CLOSE,
    /// TREE_DISCONNECT), one credit each.
    private static let singleCreditRequests = 4

    /// Lists a folder with TREE_CONNECT, CREATE, QUERY_DIRECTORY ×2, CLOSE and TREE_DISCONNECT
    /// as one related compound ([MS-SMB2] 3.2.4.1.4, 3.3.5.2.7.2): one round trip instead of
    /// three (tree connect, listing, tree disconnect), which is most of a scan's cost per share.
    ///
    /// Returns nil when the chain cannot answer on its own and the caller must list the
    /// step-by-step way: too few credits for the chain, a share that demands encryption the
    /// session does not already have (the requests after TREE_CONNECT went out unencrypted),
    /// or a folder larger than two answers. A failed TREE_CONNECT or CREATE throws as the
    /// step-by-step listing would.
    func listInOneRoundTrip(share: String, path: String, pattern: String) async throws
        -> [SMB2DirectoryEntry]?
    {
        let credits = gauge.credits
        guard credits >= Self.chainLength else { return nil }
        let size = SMB2Tree.bufferSize(creditShare: (credits - Self.singleCreditRequests) / 2, session: self)
        let chain = listingChain(share: share, path: path, pattern: pattern, size: size)
        let responses = try await send(chain, related: true)
        return try entries(fromChain: responses[...], share: share, path: path, size: size)
    }

    /// Requests in one share's chain, one credit each at the smallest buffer.
    private static let chainLength = singleCreditRequests + 2

    /// Lists `path` on every share in `shares` at once: one chain per share ([MS-SMB2]
    /// 3.2.4.1.4: a request without SMB2_FLAGS_RELATED_OPERATIONS starts a new chain), all in
    /// one compound, so probing several drives costs one round trip instead of one per drive.
    /// The result for each share is its listing or the error listing it alone would have thrown.
    public func listDirectories(shares: [String], path: String, pattern: String = "*") async throws
        -> [Result<[SMB2DirectoryEntry], SMB2Error>]
    {
        let credits = gauge.credits
        guard shares.count > 1, credits >= shares.count * Self.chainLength else {
            var results: [Result<[SMB2DirectoryEntry], SMB2Error>] = []
            for share in shares {
                results.append(await Self.capture { try await self.listDirectory(share: share, path: path) })
            }
            return results
        }
        let creditShare = (credits / shares.count - Self.singleCreditRequests) / 2
        let size = SMB2Tree.bufferSize(creditShare: creditShare, session: self)
        var requests: [SMB2Request] = []
        for share in shares {
            requests += listingChain(share: share, path: path, pattern: pattern, size: size)
        }
        let responses = try await send(requests, related: true)
        var results: [Result<[SMB2DirectoryEntry], SMB2Error>] = []
        for (index, share) in shares.enumerated() {
            let start = index * Self.chainLength
            let chain = responses[start..<(start + Self.chainLength)]
            let result = await Self.capture { () -> [SMB2DirectoryEntry]? in
                try self.entries(fromChain: chain, share: share, path: path, size: size)
            }
            switch result {
            case .success(let entries?): results.append(.success(entries))
            case .success(nil):
                // The chain already showed one round trip cannot serve this share: no second chain.
                results.append(
                    await Self.capture {
                        try await self.listStepByStep(share: share, path: path, pattern: pattern)
                    })
            case .failure(let error): results.append(.failure(error))
            }
        }
        return results
    }

    private static func capture<T>(_ body: () async throws -> T) async -> Result<T, SMB2Error> {
        do {
            return .success(try await body())
        } catch let error as SMB2Error {
            return .failure(error)
        } catch {
            return .failure(.protocolError("\(error)"))
        }
    }

    private func listingChain(share: String, path: String, pattern: String, size: Int) -> [SMB2Request] {
        let treePath = "\\\\\(host)\\\(share)"
        var treeConnect = SMB2Request(
            command: .treeConnect, encodeBody: SMB2TreeConnectRequest(path: treePath).encode(into:))
        treeConnect.startsNewChain = true
        var chain = [treeConnect]
        chain += SMB2Tree.listingChain(
            treeID: Self.relatedTreeID, folder: SMB2Tree.normalize(path), pattern: pattern, size: size)
        chain.append(
            SMB2Request(command: .treeDisconnect, treeID: Self.relatedTreeID, encodeBody: SMB2EmptyBody.encode(into:)))
        return chain
    }

    /// The answer of one share's chain: its entries, nil when it must be listed step by step.
    private func entries(fromChain responses: ArraySlice<SMB2Response>, share: String, path: String, size: Int)
        throws -> [SMB2DirectoryEntry]?
    {
        let first = responses.startIndex
        try responses[first].expectStatus(.success, context: "TREE_CONNECT \\\\\(host)\\\(share)")
        let connected = try SMB2TreeConnectResponse.decode(from: responses[first].message)
        if connected.shareFlags.contains(.encryptData) && !negotiated.sessionEncrypted {
            return nil
        }
        return try SMB2Tree.entries(
            fromListingChain: responses[(first + 1)...(first + 4)], folder: SMB2Tree.normalize(path), share: share,
            size: size)
    }
}
