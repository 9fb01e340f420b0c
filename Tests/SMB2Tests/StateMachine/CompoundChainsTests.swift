import NIOCore
import Testing

@testable import SMB2

@Suite("Several related chains in one compound ([MS-SMB2] 3.2.4.1.4)")
struct CompoundChainsTests {
    typealias Machine = SMB2ConnectionStateMachine

    /// TREE_CONNECT then a CREATE on the tree it makes (TreeId 0xFFFFFFFF: "the previous one's").
    private func chain(_ share: String) -> [SMB2Request] {
        var treeConnect = SMB2Request(
            command: .treeConnect, encodeBody: SMB2TreeConnectRequest(path: "\\\\host\\\(share)").encode(into:))
        treeConnect.startsNewChain = true
        let create = SMB2Request(
            command: .create, treeID: SMB2Session.relatedTreeID,
            encodeBody: SMB2CreateRequest.openDirectory("BackupFull").encode(into:))
        return [treeConnect, create]
    }

    @Test func eachChainStartsUnrelatedAndEveryPartIsSigned() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        var server = FakeServer(dialect: .smb311)
        _ = try server.establish(&machine, encryptSession: false)
        let frame = try FakeServer.singleFrame(
            machine.submit(chain("e$") + chain("f$") + chain("g$"), related: true, token: 3))
        let parts = try Machine.splitCompound(frame)
        #expect(parts.count == 6)
        var messageIDs: [UInt64] = []
        for (index, part) in parts.enumerated() {
            let header = try SMB2Header.decode(from: part)
            let startsChain = index % 2 == 0
            #expect(header.command == (startsChain ? .treeConnect : .create))
            #expect(header.flags.contains(.relatedOperations) == !startsChain)
            #expect(header.treeID == (startsChain ? 0 : SMB2Session.relatedTreeID))
            #expect(server.isValidlySigned(part))
            messageIDs.append(header.messageID)
        }
        #expect(messageIDs == Array(messageIDs.sorted()) && Set(messageIDs).count == 6)
    }

    @Test func aSingleChainIsUnchanged() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        var server = FakeServer(dialect: .smb311)
        _ = try server.establish(&machine, encryptSession: false)
        let parts = try Machine.splitCompound(
            FakeServer.singleFrame(machine.submit(chain("d$"), related: true, token: 1)))
        #expect(try parts.map { try SMB2Header.decode(from: $0).flags.contains(.relatedOperations) } == [false, true])
    }
}
