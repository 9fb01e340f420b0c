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
        guard credits >= Self.singleCreditRequests + 2 else { return nil }
        let folder = SMB2Tree.normalize(path)
        let size = SMB2Tree.bufferSize(creditShare: (credits - Self.singleCreditRequests) / 2, session: self)
        let treePath = "\\\\\(host)\\\(share)"
        var chain = [
            SMB2Request(command: .treeConnect, encodeBody: SMB2TreeConnectRequest(path: treePath).encode(into:))
        ]
        chain += SMB2Tree.listingChain(treeID: Self.relatedTreeID, folder: folder, pattern: pattern, size: size)
        chain.append(
            SMB2Request(command: .treeDisconnect, treeID: Self.relatedTreeID, encodeBody: SMB2EmptyBody.encode(into:)))
        let responses = try await send(chain, related: true)
        try responses[0].expectStatus(.success, context: "TREE_CONNECT \(treePath)")
        let connected = try SMB2TreeConnectResponse.decode(from: responses[0].message)
        if connected.shareFlags.contains(.encryptData) && !negotiated.sessionEncrypted {
            return nil
        }
        return try SMB2Tree.entries(fromListingChain: responses[1...4], folder: folder, share: share, size: size)
    }
}
