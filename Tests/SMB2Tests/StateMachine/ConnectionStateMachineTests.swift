import NIOCore
import Testing

@testable import SMB2

@Suite("Connection state machine (events → actions, no I/O)")
struct ConnectionStateMachineTests {
    typealias Machine = SMB2ConnectionStateMachine

    private func established(_ dialect: SMB2Dialect, encryptSession: Bool = false) throws -> (Machine, FakeServer) {
        var machine = Machine(configuration: FakeServer.configuration())
        var server = FakeServer(dialect: dialect)
        _ = try server.establish(&machine, encryptSession: encryptSession)
        return (machine, server)
    }

    private func treeConnect(token: UInt64 = 1) -> SMB2Request {
        SMB2Request(command: .treeConnect, encodeBody: SMB2TreeConnectRequest(path: "\\\\host\\d$").encode(into:))
    }

    private func treeConnectResponse(
        _ server: FakeServer, to frame: ByteBuffer, flags: SMB2ShareFlags = [], sign: Bool = true
    ) throws -> ByteBuffer {
        try server.response(to: frame, treeID: 5, sign: sign) {
            SMB2TreeConnectResponse(shareType: 1, shareFlags: flags, capabilities: 0, maximalAccess: 0x1F01FF)
                .encode(into: &$0)
        }
    }

    @Test(arguments: [SMB2Dialect.smb202, .smb210, .smb300, .smb302, .smb311])
    func negotiatesAuthenticatesAndSignsEveryDialect(dialect: SMB2Dialect) throws {
        var (machine, server) = try established(dialect)
        #expect(machine.phase == .authenticated)
        let parameters = try #require(machine.negotiatedParameters)
        #expect(parameters.dialect == dialect)
        #expect(parameters.isSigned)
        #expect(parameters.signingAlgorithm == server.signingAlgorithm)
        #expect(parameters.encryptionCipher == server.cipher)

        let frame = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 7))
        #expect(server.isValidlySigned(frame), "request signed with the key both sides derived")
        server.grant = 8
        let actions = try machine.received(treeConnectResponse(server, to: frame))
        guard case .deliver(let response, let token) = try #require(actions.first) else {
            Issue.record("expected delivery, got \(actions)")
            return
        }
        #expect(token == 7)
        #expect(response.header.treeID == 5)
    }

    @Test func negotiateRequestOffersDialectsAndContexts() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        let frame = try FakeServer.singleFrame(machine.connected())
        let header = try SMB2Header.decode(from: frame)
        #expect(header.command == .negotiate)
        #expect(header.messageID == 0)
        #expect(header.creditCharge == 0)
        let request = try SMB2NegotiateRequest.decode(from: frame)
        #expect(request.dialects == SMB2Dialect.all)
        #expect(request.capabilities.contains(.encryption))
        #expect(request.contexts.count == 3)
        #expect(request.contexts[1] == .encryption(ciphers: [2, 1]))
        #expect(request.contexts[2] == .signing(algorithms: [2, 1, 0]))
        #expect(throws: SMB2Error.self) { try machine.connected() }
    }

    @Test func authenticateMessageCarriesUserDomainMICAndWrappedKey() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        var server = FakeServer(dialect: .smb311)
        _ = try server.establish(&machine)
        // Replay the exchange on a second machine to capture the AUTHENTICATE (same inputs).
        var replay = Machine(configuration: FakeServer.configuration())
        let negotiate = try FakeServer.singleFrame(replay.connected())
        let negotiateResponse = try server.response(to: negotiate, credits: 1) {
            SMB2NegotiateResponse(
                securityMode: .signingEnabled, dialect: .smb210, serverGUID: Array(repeating: 1, count: 16),
                capabilities: [], maxTransactSize: 65_536, maxReadSize: 65_536, maxWriteSize: 65_536, systemTime: 0,
                serverStartTime: 0, securityBuffer: [], contexts: []
            ).encode(into: &$0)
        }
        let setup1 = try FakeServer.singleFrame(replay.received(negotiateResponse))
        let challenge = try server.response(to: setup1, status: .moreProcessingRequired, credits: 1) {
            SMB2SessionSetupResponse(
                sessionFlags: [],
                securityBuffer: SPNEGO.negTokenRespFromServer(responseToken: FakeServer.challenge.encoded())
            ).encode(into: &$0)
        }
        let setup2 = try FakeServer.singleFrame(replay.received(challenge))
        let token = try SMB2SessionSetupRequest.decode(from: setup2).securityBuffer
        let negTokenResp = try SPNEGO.parseNegTokenResp(token)
        let authenticate = try NTLMAuthenticateMessage(decoding: try #require(negTokenResp.responseToken))
        #expect(authenticate.user == "bkadmin")
        #expect(authenticate.domain == "OUTLETS")
        #expect(authenticate.lmChallengeResponse == Array(repeating: 0, count: 24))
        #expect(authenticate.mic != Array(repeating: 0, count: 16))
        #expect(negTokenResp.mechListMIC?.count == 16)
        // The NT response proves the password: recompute it from the blob it carries.
        let proof = Array(authenticate.ntChallengeResponse.prefix(16))
        let blob = Array(authenticate.ntChallengeResponse.dropFirst(16))
        let key = NTLMv2.ntOWFv2(password: "Ddrive-Pass-1", user: "bkadmin", domain: "OUTLETS")
        let (expected, baseKey) = NTLMv2.response(
            responseKeyNT: key, serverChallenge: [1, 2, 3, 4, 5, 6, 7, 8], clientBlob: blob)
        #expect(Array(expected.prefix(16)) == proof)
        #expect(RC4.apply(key: baseKey, to: authenticate.encryptedRandomSessionKey) == FakeServer.sessionKey)
        // The blob carries the server's timestamp and MsvAvFlags with the MIC bit.
        let info = try NTLMTargetInfo(decoding: Array(blob.dropFirst(28).dropLast(4)))
        #expect(info.value(.timestamp) == FakeServer.challenge.targetInfo.value(.timestamp))
        #expect(info.value(.flags) == [2, 0, 0, 0])
    }

    @Test func badSignatureIsAProtocolError() throws {
        var (machine, server) = try established(.smb311)
        let frame = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 1))
        var response = try treeConnectResponse(server, to: frame)
        response.setBytes([0xFF], at: 60)  // flip part of the signature
        #expect(throws: SMB2Error.self) { try machine.received(response) }
        #expect(machine.phase == .closed)
        server.grant = 1
    }

    @Test func tamperedBodyIsAProtocolError() throws {
        var (machine, server) = try established(.smb302)
        let frame = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 1))
        var response = try treeConnectResponse(server, to: frame)
        response.setBytes([0x80], at: 64 + 4)  // ShareFlags changed after signing
        let error = try #require(throws: SMB2Error.self) { try machine.received(response) }
        #expect(error.category == .protocolError)
        server.grant = 1
    }

    @Test func unsignedResponseOnASignedSessionIsRejected() throws {
        var (machine, server) = try established(.smb311)
        let frame = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 1))
        #expect(throws: SMB2Error.self) { try machine.received(treeConnectResponse(server, to: frame, sign: false)) }
        server.grant = 1
    }

    @Test func finalSessionSetupMustBeSignedFor311() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        var server = FakeServer(dialect: .smb311)
        let negotiate = try FakeServer.singleFrame(machine.connected())
        let negotiateResponse = try server.response(to: negotiate, credits: 1) {
            SMB2NegotiateResponse(
                securityMode: .signingEnabled, dialect: .smb311, serverGUID: Array(repeating: 1, count: 16),
                capabilities: [], maxTransactSize: 65_536, maxReadSize: 65_536, maxWriteSize: 65_536, systemTime: 0,
                serverStartTime: 0, securityBuffer: [],
                contexts: [.preauthIntegrity(hashAlgorithms: [1], salt: [])]
            ).encode(into: &$0)
        }
        let setup1 = try FakeServer.singleFrame(machine.received(negotiateResponse))
        let challenge = try server.response(to: setup1, status: .moreProcessingRequired, credits: 1) {
            SMB2SessionSetupResponse(
                sessionFlags: [],
                securityBuffer: SPNEGO.negTokenRespFromServer(responseToken: FakeServer.challenge.encoded())
            ).encode(into: &$0)
        }
        let setup2 = try FakeServer.singleFrame(machine.received(challenge))
        let unsigned = try server.response(to: setup2) {
            SMB2SessionSetupResponse(sessionFlags: [], securityBuffer: []).encode(into: &$0)
        }
        #expect(throws: SMB2Error.self) { try machine.received(unsigned) }
        server.grant = 1
    }

    @Test func logonFailureIsAnAuthErrorWithTheStatus() throws {
        var machine = Machine(configuration: FakeServer.configuration(dialects: [.smb210]))
        let server = FakeServer(dialect: .smb210)
        let negotiate = try FakeServer.singleFrame(machine.connected())
        let negotiateResponse = try server.response(to: negotiate, credits: 1) {
            SMB2NegotiateResponse(
                securityMode: .signingEnabled, dialect: .smb210, serverGUID: Array(repeating: 1, count: 16),
                capabilities: [], maxTransactSize: 65_536, maxReadSize: 65_536, maxWriteSize: 65_536, systemTime: 0,
                serverStartTime: 0, securityBuffer: [], contexts: []
            ).encode(into: &$0)
        }
        let setup1 = try FakeServer.singleFrame(machine.received(negotiateResponse))
        for status in [NTStatus.logonFailure, .accountLockedOut, .accountDisabled, .passwordExpired, .accessDenied] {
            var copy = machine
            let failure = try server.response(to: setup1, status: status, credits: 1) {
                SMB2ErrorResponse(errorContextCount: 0, errorData: []).encode(into: &$0)
            }
            let error = try #require(throws: SMB2Error.self) { try copy.received(failure) }
            #expect(error.category == .auth)
            #expect(error.status == status)
        }
    }

    @Test func guestLogonIsRefused() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        var server = FakeServer(dialect: .smb210)
        let negotiate = try FakeServer.singleFrame(machine.connected())
        let negotiateResponse = try server.response(to: negotiate, credits: 1) {
            SMB2NegotiateResponse(
                securityMode: [], dialect: .smb210, serverGUID: Array(repeating: 1, count: 16), capabilities: [],
                maxTransactSize: 65_536, maxReadSize: 65_536, maxWriteSize: 65_536, systemTime: 0, serverStartTime: 0,
                securityBuffer: [], contexts: []
            ).encode(into: &$0)
        }
        let setup1 = try FakeServer.singleFrame(machine.received(negotiateResponse))
        let challenge = try server.response(to: setup1, status: .moreProcessingRequired, credits: 1) {
            SMB2SessionSetupResponse(
                sessionFlags: [],
                securityBuffer: SPNEGO.negTokenRespFromServer(responseToken: FakeServer.challenge.encoded())
            ).encode(into: &$0)
        }
        let setup2 = try FakeServer.singleFrame(machine.received(challenge))
        server.keys = SMB2SessionKeys(sessionKey: FakeServer.sessionKey, dialect: .smb210, preauthHash: [])
        let guest = try server.response(to: setup2, sign: true) {
            SMB2SessionSetupResponse(sessionFlags: .isGuest, securityBuffer: []).encode(into: &$0)
        }
        let error = try #require(throws: SMB2Error.self) { try machine.received(guest) }
        #expect(error.category == .auth)
    }

    @Test func rejectsDialectThatWasNotOffered() throws {
        var machine = Machine(configuration: FakeServer.configuration(dialects: [.smb210]))
        let server = FakeServer(dialect: .smb300)
        let negotiate = try FakeServer.singleFrame(machine.connected())
        let response = try server.response(to: negotiate, credits: 1) {
            SMB2NegotiateResponse(
                securityMode: [], dialect: .smb300, serverGUID: Array(repeating: 1, count: 16), capabilities: [],
                maxTransactSize: 65_536, maxReadSize: 65_536, maxWriteSize: 65_536, systemTime: 0, serverStartTime: 0,
                securityBuffer: [], contexts: []
            ).encode(into: &$0)
        }
        let error = try #require(throws: SMB2Error.self) { try machine.received(response) }
        #expect(error.category == .protocolError)
    }

    @Test func smb1AnswerMeansSMB1Only() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        _ = try machine.connected()
        var smb1 = ByteBuffer(bytes: [0xFF, 0x53, 0x4D, 0x42, 0x72])
        smb1.writeRepeatingByte(0, count: 32)
        let error = try #require(throws: SMB2Error.self) { try machine.received(smb1) }
        #expect(error.message == "server does not support SMB2/3 (SMB1 only?)")
    }

    @Test func responseForUnknownMessageIDIsAProtocolError() throws {
        var (machine, server) = try established(.smb311)
        let frame = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 1))
        var header = try SMB2Header.decode(from: frame)
        header.messageID += 100
        var forged = ByteBuffer()
        header.encode(into: &forged)
        forged.writeImmutableBuffer(frame.getSlice(at: 64, length: frame.readableBytes - 64)!)
        let response = try server.response(to: forged, sign: true) { SMB2EmptyBody.encode(into: &$0) }
        #expect(throws: SMB2Error.self) { try machine.received(response) }
    }

    @Test func interimPendingKeepsTheRequestOpenAndGrantsCredits() throws {
        var (machine, server) = try established(.smb311)
        let before = machine.availableCredits
        let frame = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 3))
        let interim = try server.response(to: frame, status: .pending, credits: 4, flags: .asyncCommand) {
            SMB2ErrorResponse(errorContextCount: 0, errorData: []).encode(into: &$0)
        }
        let actions = try machine.received(interim)
        guard case .interim(_, let token) = try #require(actions.first) else {
            Issue.record("expected interim, got \(actions)")
            return
        }
        #expect(token == 3)
        #expect(machine.availableCredits == before - 1 + 4)
        #expect(machine.outstanding.count == 1)
        let final = try treeConnectResponse(server, to: frame)
        let delivered = try machine.received(final)
        #expect(delivered.count == 1)
        #expect(machine.outstanding.isEmpty)
    }

    @Test func requestsWaitForCreditsAndStarvationIsAnError() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        var server = FakeServer(dialect: .smb311)
        server.grant = 1
        _ = try server.establish(&machine)
        #expect(machine.availableCredits == 1)
        let first = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 1))
        #expect(try machine.submit([treeConnect()], related: false, token: 2).isEmpty, "queued: no credits")
        let actions = try machine.received(treeConnectResponse(server, to: first))
        #expect(actions.count == 2)
        guard case .send(_, let token) = actions[1] else {
            Issue.record("expected the queued request to be sent, got \(actions)")
            return
        }
        #expect(token == 2)

        // A compound needing four credits with one in hand and nothing in flight can never go.
        var starving = Machine(configuration: FakeServer.configuration())
        var starvingServer = FakeServer(dialect: .smb311)
        starvingServer.grant = 1
        _ = try starvingServer.establish(&starving)
        let compound = Array(repeating: treeConnect(), count: 4)
        let error = try #require(throws: SMB2Error.self) { try starving.submit(compound, related: true, token: 9) }
        #expect(error.message.contains("credit starvation"))
    }

    @Test func multiCreditRequestsConsumeChargeAndMessageIDs() throws {
        var (machine, _) = try established(.smb311)
        let idBefore = machine.nextMessageID
        let creditsBefore = machine.availableCredits
        let query = SMB2QueryDirectoryRequest(fileID: .related, outputBufferLength: 262_144)
        let request = SMB2Request(
            command: .queryDirectory, treeID: 5, expectedResponseSize: 262_144, encodeBody: query.encode(into:))
        let frame = try FakeServer.singleFrame(machine.submit([request], related: false, token: 1))
        let header = try SMB2Header.decode(from: frame)
        #expect(header.creditCharge == 4)
        #expect(machine.nextMessageID == idBefore + 4)
        #expect(machine.availableCredits == creditsBefore - 4)
    }

    @Test func compoundChainIsRelatedAlignedAndEachPartSigned() throws {
        var (machine, server) = try established(.smb311)
        let requests = [
            SMB2Request(
                command: .create, treeID: 5, encodeBody: SMB2CreateRequest.openDirectory("BackupFull").encode(into:)),
            SMB2Request(
                command: .queryDirectory, treeID: 5, expectedResponseSize: 65_536,
                encodeBody: SMB2QueryDirectoryRequest(fileID: .related).encode(into:)),
            SMB2Request(command: .close, treeID: 5, encodeBody: SMB2CloseRequest(fileID: .related).encode(into:)),
        ]
        let frame = try FakeServer.singleFrame(machine.submit(requests, related: true, token: 4))
        let parts = try Machine.splitCompound(frame)
        #expect(parts.count == 3)
        for (index, part) in parts.enumerated() {
            let header = try SMB2Header.decode(from: part)
            #expect(header.flags.contains(.relatedOperations) == (index > 0))
            #expect(server.isValidlySigned(part))
            if index < 2 {
                #expect(Int(header.nextCommand) == part.readableBytes)
                #expect(part.readableBytes % 8 == 0)
            }
        }
        #expect(try SMB2QueryDirectoryRequest.decode(from: parts[1]).fileID == .related)

        // The server answers all three in one compound frame.
        let entries = [
            SMB2DirectoryEntry(
                name: "a.bak", lastWriteTime: SMB2FileTime(raw: 1), creationTime: SMB2FileTime(raw: 1), endOfFile: 10,
                attributes: .archive)
        ]
        var create = try server.response(to: parts[0], sign: false) {
            SMB2CreateResponse(
                createAction: 1, creationTime: 0, lastAccessTime: 0, lastWriteTime: 0, changeTime: 0, allocationSize: 0,
                endOfFile: 0, fileAttributes: 0x10, fileID: SMB2FileID(persistent: 1, volatile: 2)
            ).encode(into: &$0)
        }
        var query = try server.response(to: parts[1], sign: false) {
            SMB2QueryDirectoryResponse(entries: entries).encode(
                into: &$0, informationClass: .fileIdBothDirectoryInformation)
        }
        let close = try server.response(to: parts[2], sign: true) { SMB2CloseResponse().encode(into: &$0) }
        for part in [0, 1] {
            var buffer = part == 0 ? create : query
            buffer.padTo(alignment: 8)
            buffer.setLE(UInt32(buffer.readableBytes), at: SMB2Header.nextCommandOffset)
            buffer.setInteger(
                buffer.getInteger(at: 16, endianness: .little, as: UInt32.self)! | 0x08, at: 16, endianness: .little)
            server.sign(&buffer)
            if part == 0 { create = buffer } else { query = buffer }
        }
        var chain = create
        chain.writeImmutableBuffer(query)
        chain.writeImmutableBuffer(close)
        let actions = try machine.received(chain)
        #expect(actions.count == 3)
        guard case .deliver(let queryResponse, _) = actions[1] else {
            Issue.record("expected deliveries, got \(actions)")
            return
        }
        let decoded = try SMB2QueryDirectoryResponse.decode(
            from: queryResponse.message, informationClass: .fileIdBothDirectoryInformation, maxOutput: 65_536)
        #expect(decoded.entries == entries)
    }

    @Test(arguments: [SMB2Dialect.smb300, .smb311])
    func encryptedShareEncryptsRequestsAndRequiresEncryptedResponses(dialect: SMB2Dialect) throws {
        var (machine, server) = try established(dialect)
        let tree = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 1))
        _ = try machine.received(treeConnectResponse(server, to: tree, flags: .encryptData))
        #expect(machine.isTreeEncrypted(5))

        let create = SMB2Request(
            command: .create, treeID: 5, encodeBody: SMB2CreateRequest.openDirectory("BackupFull").encode(into:))
        let frame = try FakeServer.singleFrame(machine.submit([create], related: false, token: 2))
        #expect(Array(frame.bytes.prefix(4)) == SMB2TransformHeader.protocolID)
        let plaintext = try server.decrypt(frame)
        let header = try SMB2Header.decode(from: plaintext)
        #expect(header.command == .create)
        #expect(!header.flags.contains(.signed), "encryption replaces signing")

        let response = try server.response(to: plaintext, status: .objectNameNotFound) {
            SMB2ErrorResponse(errorContextCount: 0, errorData: []).encode(into: &$0)
        }
        var copy = machine
        let actions = try machine.received(server.encrypt(response))
        guard case .deliver(let delivered, _) = try #require(actions.first) else {
            Issue.record("expected delivery")
            return
        }
        #expect(delivered.header.status == .objectNameNotFound)
        #expect(throws: SMB2Error.self) { try copy.received(response) }

        var tampered = try server.encrypt(response)
        tampered.setBytes([tampered.getInteger(at: 60, as: UInt8.self)! ^ 1], at: 60)
        var again = machine
        let next = try FakeServer.singleFrame(again.submit([create], related: false, token: 3))
        let nextResponse = try server.response(to: server.decrypt(next)) { SMB2EmptyBody.encode(into: &$0) }
        var broken = try server.encrypt(nextResponse)
        broken.setBytes([0], at: broken.writerIndex - 1)
        #expect(throws: SMB2Error.self) { try again.received(broken) }
    }

    @Test func sessionEncryptionEncryptsEverything() throws {
        var (machine, server) = try established(.smb311, encryptSession: true)
        #expect(machine.negotiatedParameters?.sessionEncrypted == true)
        let frame = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 1))
        let plaintext = try server.decrypt(frame)
        #expect(try SMB2Header.decode(from: plaintext).command == .treeConnect)
    }

    @Test func unsignedDialect21WhenPolicyAllows() throws {
        var configuration = FakeServer.configuration(dialects: [.smb210])
        configuration.alwaysSign = false
        var machine = Machine(configuration: configuration)
        var server = FakeServer(dialect: .smb210)
        let parameters = try server.establish(&machine)
        #expect(!parameters.isSigned)
        let frame = try FakeServer.singleFrame(machine.submit([treeConnect()], related: false, token: 1))
        #expect(!(try SMB2Header.decode(from: frame).flags.contains(.signed)))
        #expect(throws: Never.self) { try machine.received(treeConnectResponse(server, to: frame, sign: false)) }
    }

    @Test func submitBeforeEstablishmentIsRefused() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        #expect(throws: SMB2Error.self) { try machine.submit([treeConnect()], related: false, token: 1) }
    }

    @Test func garbageFramesNeverTrap() throws {
        let (machine, server) = try established(.smb311)
        var copy = machine
        let frame = try FakeServer.singleFrame(copy.submit([treeConnect()], related: false, token: 1))
        let good = try treeConnectResponse(server, to: frame)
        expectGarbageNeverTraps(good.bytes, rounds: 500) { bytes in
            var fresh = copy
            _ = try fresh.received(ByteBuffer(bytes: bytes))
        }
        expectEveryTruncationThrows(good.bytes) { bytes in
            var fresh = copy
            _ = try fresh.received(ByteBuffer(bytes: bytes))
        }
    }

    @Test func negotiatePhaseSurvivesGarbageAndTruncation() throws {
        var machine = Machine(configuration: FakeServer.configuration())
        _ = try machine.connected()
        // Samba's real answer is accepted (it is for message id 0, our NEGOTIATE)…
        var accepting = machine
        #expect(throws: Never.self) { try accepting.received(ByteBuffer(bytes: SambaCaptures.negotiateResponse)) }
        // …and any damage to it is an error or a clean decode, never a trap.
        expectGarbageNeverTraps(SambaCaptures.negotiateResponse, rounds: 1000) { bytes in
            var fresh = machine
            _ = try fresh.received(ByteBuffer(bytes: bytes))
        }
        expectEveryTruncationThrows(SambaCaptures.negotiateResponse) { bytes in
            var fresh = machine
            _ = try fresh.received(ByteBuffer(bytes: bytes))
        }
    }
}
