import NIOCore
import Testing

@testable import SMB2

/// The channel handler between the async layer and the state machine, on an `EmbeddedChannel`
/// whose clock moves only when a test says so: matching answers to waiters, compounds,
/// STATUS_PENDING, deadlines and the failure that ends a connection.
@Suite("SMB2ChannelHandler (embedded channel, manual clock)")
struct SMB2ChannelHandlerTests {
    typealias Connection = EmbeddedSMB2Connection

    private static let timeout = Connection.requestTimeout
    private static let justBefore = timeout - .nanoseconds(1)

    private func established(grant: UInt16 = 32) throws -> Connection {
        var connection = try Connection(grant: grant)
        try connection.establish()
        return connection
    }

    // MARK: Session setup

    @Test func sessionSetupPublishesTheGrantedCreditsToTheGauge() throws {
        let connection = try established()
        #expect(connection.gauge.credits == 32)
        #expect(connection.gauge.multiCredit, "SMB 3.1.1 with LARGE_MTU allows multi-credit requests")
        #expect(connection.channel.isActive)
    }

    /// SMB2ClientConfiguration.requestTimeout: the whole session setup counts as one request, so
    /// answering NEGOTIATE and the first SESSION_SETUP does not renew the deadline.
    @Test func sessionSetupHasOneDeadlineForAllItsRounds() throws {
        var connection = try Connection()
        let outcome = try connection.startEstablishing()
        let (loop, channel) = (connection.loop, connection.channel)
        var rounds = 0
        try connection.server.answerHandshake(negotiate: connection.sent()) { answer, isLast in
            guard !isLast else { return nil }  // the server never sends its final answer
            loop.advanceTime(by: .seconds(3))
            try channel.writeInbound(answer)
            rounds += 1
            return try channel.readOutbound(as: ByteBuffer.self)
        }
        #expect(rounds == 2)

        loop.advanceTime(by: Self.justBefore - .seconds(6))
        #expect(outcome.isPending)
        loop.advanceTime(by: .nanoseconds(1))
        let error = try #require(outcome.error)
        #expect(error.category == .timeout)
        #expect(error.message == "no answer to session setup within 10.0 s")
        #expect(!channel.isActive)
    }

    /// A second establishment while one is under way is refused; the first goes on.
    @Test func aSecondEstablishmentDuringTheFirstIsRefusedAndTheFirstGoesOn() throws {
        var connection = try Connection()
        let first = try connection.startEstablishing()
        let negotiate = try connection.sent()
        let second = try connection.startEstablishing()
        #expect(second.error?.message == "session establishment started twice")
        #expect(try connection.sentNothing())

        try connection.answerHandshake(negotiate: negotiate)
        #expect(first.value?.dialect == .smb311)
        #expect(connection.channel.isActive)
    }

    // MARK: Matching answers to requests

    @Test func answersAreMatchedToTheirRequestByMessageID() throws {
        let connection = try established()
        let first = try connection.submit([FakeServer.treeConnect("d$")])
        let firstRequest = try connection.sent()
        let second = try connection.submit([FakeServer.treeConnect("e$")])
        let secondRequest = try connection.sent()

        try connection.receive(connection.server.treeConnected(secondRequest, status: .badNetworkName))
        #expect(first.isPending)
        let secondAnswer = try #require(second.value)
        #expect(secondAnswer.map(\.header.status) == [.badNetworkName])
        #expect(
            secondAnswer.map(\.header.messageID) == [try SMB2Header.decode(from: secondRequest).messageID])

        try connection.receive(connection.server.treeConnected(firstRequest))
        #expect(try #require(first.value).map(\.header.status) == [.success])
    }

    /// [MS-SMB2] 3.2.5.1.9: a compound answered in one frame completes its submission once,
    /// with one response per request.
    @Test func aCompoundAnsweredInOneFrameCompletesWithEveryResponseInRequestOrder() throws {
        let connection = try established()
        let outcome = try connection.submit(["d$", "e$", "f$"].map(FakeServer.treeConnect))
        let parts = try connection.sentMessages()
        #expect(parts.count == 3, "three requests, one frame")
        let requestIDs = try parts.map { try SMB2Header.decode(from: $0).messageID }

        try connection.receive(
            connection.server.compound([
                connection.server.treeConnected(parts[0]),
                connection.server.treeConnected(parts[1], status: .badNetworkName),
                connection.server.treeConnected(parts[2]),
            ]))
        let responses = try #require(outcome.value)
        #expect(responses.map(\.header.messageID) == requestIDs)
        #expect(responses.map(\.header.status) == [.success, .badNetworkName, .success])
    }

    /// [MS-SMB2] 3.3.4.1.3: a server may answer the parts of a compound separately and in any
    /// order; the caller still gets them all at once, in request order.
    @Test func aCompoundAnsweredPartByPartCompletesOnlyWithItsLastPart() throws {
        let connection = try established()
        let outcome = try connection.submit(["d$", "e$", "f$"].map(FakeServer.treeConnect))
        let parts = try connection.sentMessages()
        let requestIDs = try parts.map { try SMB2Header.decode(from: $0).messageID }

        try connection.receive(connection.server.treeConnected(parts[2]))
        try connection.receive(connection.server.treeConnected(parts[0]))
        #expect(outcome.isPending, "two of three answers are not an answer")
        try connection.receive(connection.server.treeConnected(parts[1], status: .accessDenied))
        let responses = try #require(outcome.value)
        #expect(responses.map(\.header.messageID) == requestIDs)
        #expect(responses.map(\.header.status) == [.success, .accessDenied, .success])
    }

    // MARK: STATUS_PENDING ([MS-SMB2] 3.2.5.1.5)

    @Test func anInterimAnswerKeepsTheRequestOutstandingUntilTheFinalOne() throws {
        let connection = try established()
        let outcome = try connection.submit([FakeServer.treeConnect()])
        let request = try connection.sent()
        #expect(connection.gauge.credits == 31)

        try connection.receive(connection.server.interim(request, credits: 4))
        #expect(outcome.isPending)
        #expect(connection.gauge.credits == 35, "the interim answer's credits are usable at once")
        #expect(try connection.sentNothing())

        try connection.receive(connection.server.treeConnected(request))
        let responses = try #require(outcome.value)
        #expect(responses.map(\.header.status) == [.success], "the final answer, not the interim one")
        #expect(responses.first?.header.treeID == 5)
    }

    @Test func anInterimAnswerRenewsTheDeadlineFromWhenItArrives() throws {
        let connection = try established()
        let outcome = try connection.submit([FakeServer.treeConnect()])
        let request = try connection.sent()
        connection.loop.advanceTime(by: .seconds(6))
        try connection.receive(connection.server.interim(request))

        connection.loop.advanceTime(by: Self.justBefore)
        #expect(outcome.isPending, "the first deadline (10 s) has passed, the renewed one (16 s) has not")
        connection.loop.advanceTime(by: .nanoseconds(1))
        let error = try #require(outcome.error)
        #expect(error.category == .timeout)
        #expect(error.message == "no answer to pending request within 10.0 s")
    }

    /// A server answering nothing but STATUS_PENDING cannot hold a request for ever: only
    /// `maxDeadlineExtensions` interim answers renew the deadline.
    @Test func onlyTheFirstThreeInterimAnswersRenewTheDeadline() throws {
        #expect(SMB2ChannelHandler.maxDeadlineExtensions == 3)
        let connection = try established()
        let outcome = try connection.submit([FakeServer.treeConnect()])
        let request = try connection.sent()
        for _ in 1...4 {
            connection.loop.advanceTime(by: .seconds(1))
            try connection.receive(connection.server.interim(request))
        }
        // Renewed at 1, 2 and 3 s: the deadline is 13 s, and the fourth interim (4 s) is ignored.
        connection.loop.advanceTime(by: .seconds(13) - .seconds(4) - .nanoseconds(1))
        #expect(outcome.isPending)
        connection.loop.advanceTime(by: .nanoseconds(1))
        #expect(outcome.error?.category == .timeout)
    }

    // MARK: Deadlines

    @Test func aRequestTimesOutExactlyAtItsDeadline() throws {
        let connection = try established()
        let outcome = try connection.submit([FakeServer.treeConnect()])
        _ = try connection.sent()

        connection.loop.advanceTime(by: Self.justBefore)
        #expect(outcome.isPending)
        #expect(connection.channel.isActive)
        connection.loop.advanceTime(by: .nanoseconds(1))
        let error = try #require(outcome.error)
        #expect(error.category == .timeout)
        #expect(error.message == "no answer to TREE_CONNECT within 10.0 s")
        #expect(!connection.channel.isActive, "a connection that stopped answering is closed")
    }

    /// One silent request means the connection is dead: every waiter fails with it, even one
    /// whose own deadline is still ahead.
    @Test func aTimeoutFailsEveryOutstandingRequest() throws {
        let connection = try established()
        let early = try connection.submit([FakeServer.treeConnect("d$")])
        _ = try connection.sent()
        connection.loop.advanceTime(by: .seconds(5))
        let late = try connection.submit([FakeServer.treeConnect("e$")])
        _ = try connection.sent()

        connection.loop.advanceTime(by: .seconds(5))
        #expect(early.error?.category == .timeout)
        #expect(late.error?.message == early.error?.message, "the connection's one failure, not a second timeout")
    }

    @Test func anAnsweredRequestsDeadlineIsCancelled() throws {
        let connection = try established()
        let answered = try connection.submit([FakeServer.treeConnect()])
        try connection.receive(connection.server.treeConnected(connection.sent()))
        #expect(answered.value != nil)

        connection.loop.advanceTime(by: Self.timeout * 3)
        #expect(connection.channel.isActive)
        let next = try connection.submit([FakeServer.treeConnect()])
        try connection.receive(connection.server.treeConnected(connection.sent()))
        #expect(next.value?.first?.header.status == .success)
    }

    // MARK: Credits ([MS-SMB2] 3.2.4.1.5, 3.2.5.1.4)

    /// A request waiting for credits goes out when an answer grants them; its deadline runs from
    /// submission, because it bounds the caller's wait, not the server's.
    @Test func aRequestWaitingForCreditsIsSentWhenCreditsReturnAndKeepsItsDeadline() throws {
        let connection = try established(grant: 1)
        #expect(connection.gauge.credits == 1)
        let first = try connection.submit([FakeServer.treeConnect("d$")])
        let firstRequest = try connection.sent()
        let queued = try connection.submit([FakeServer.treeConnect("e$")])
        #expect(try connection.sentNothing(), "no credit left")
        #expect(connection.gauge.credits == 0)

        connection.loop.advanceTime(by: .seconds(6))
        try connection.receive(connection.server.treeConnected(firstRequest, credits: 1))
        #expect(first.value != nil)
        let queuedRequest = try connection.sent()
        #expect(try SMB2Header.decode(from: queuedRequest).messageID > SMB2Header.decode(from: firstRequest).messageID)

        connection.loop.advanceTime(by: .seconds(4) - .nanoseconds(1))
        #expect(queued.isPending)
        connection.loop.advanceTime(by: .nanoseconds(1))
        #expect(queued.error?.category == .timeout)
    }

    @Test func aCompoundThatCanNeverGetItsCreditsFailsTheConnection() throws {
        let connection = try established(grant: 1)
        let outcome = try connection.submit(Array(repeating: FakeServer.treeConnect(), count: 4))
        let error = try #require(outcome.error)
        #expect(error.category == .protocolError)
        #expect(error.message.contains("credit starvation"))
        #expect(try connection.sentNothing())
        #expect(!connection.channel.isActive)
    }

    // MARK: The failure flag

    @Test func aMalformedFrameFailsOutstandingAndLaterRequestsWithTheSameError() throws {
        let connection = try established()
        let outstanding = try connection.submit([FakeServer.treeConnect()])
        _ = try connection.sent()

        try connection.receive(ByteBuffer(bytes: Array(repeating: 0x42, count: 64)))
        let error = try #require(outstanding.error)
        #expect(error.category == .protocolError)
        #expect(error.message.contains("not an SMB2 message"))
        #expect(!connection.channel.isActive)

        // Written while the close is still under way: refused at once, and nothing is sent.
        let later = try connection.submit([FakeServer.treeConnect()])
        #expect(later.error?.message == error.message)
        #expect(try connection.sentNothing())
    }

    @Test func anAnswerToAnUnknownMessageIDFailsTheConnection() throws {
        let connection = try established()
        let outstanding = try connection.submit([FakeServer.treeConnect()])
        let request = try connection.sent()
        var header = try SMB2Header.decode(from: request)
        header.messageID += 100
        let forged = message(header) { _ in }
        try connection.receive(connection.server.treeConnected(forged))
        #expect(outstanding.error?.message.contains("unknown message id") == true)
    }

    @Test func theConnectionClosingFailsEveryWaiter() throws {
        let connection = try established()
        let first = try connection.submit([FakeServer.treeConnect("d$")])
        let compound = try connection.submit(["e$", "f$"].map(FakeServer.treeConnect))
        try connection.receive(connection.server.interim(connection.sent()))

        try connection.channel.close().wait()
        #expect(first.error?.message == "connection closed by the server")
        #expect(compound.error?.message == first.error?.message)
    }

    /// An SMB1-only server drops the connection without answering an SMB2 NEGOTIATE.
    @Test func aConnectionClosedBeforeAnyAnswerMeansSMB1Only() throws {
        let connection = try Connection()
        let outcome = try connection.startEstablishing()
        _ = try connection.sent()
        try connection.channel.close().wait()
        #expect(outcome.error?.message == SMB2Error.smb1Only.message)
    }

    /// What the frame decoder in front of the handler throws (an oversized length, say) reaches
    /// the handler as `errorCaught` and ends the connection with that error.
    @Test func anErrorFromThePipelineFailsWaitersWithThatError() throws {
        let connection = try established()
        let outstanding = try connection.submit([FakeServer.treeConnect()])
        let decoderError = SMB2Error.protocolError("frame of 16777215 bytes exceeds the 1048576-byte limit")
        connection.channel.pipeline.fireErrorCaught(decoderError)
        #expect(outstanding.error?.message == decoderError.message)
        #expect(!connection.channel.isActive)
    }

    @Test func aRequestBeforeTheSessionIsEstablishedIsRefused() throws {
        let connection = try Connection()
        let outcome = try connection.submit([FakeServer.treeConnect()])
        #expect(outcome.error?.message.contains("session is not established") == true)
        #expect(try connection.sentNothing())
    }
}
