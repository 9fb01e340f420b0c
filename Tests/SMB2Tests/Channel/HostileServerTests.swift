import NIOCore
import NIOPosix
import Testing

@testable import SMB2

/// A loopback server that answers the client's first message with fixed bytes (or nothing),
/// to check that a broken or hostile server never crashes or hangs the client.
private final class ScriptedReply: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let reply: [UInt8]?
    let closeAfterReply: Bool

    init(reply: [UInt8]?, closeAfterReply: Bool) {
        self.reply = reply
        self.closeAfterReply = closeAfterReply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let reply {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply)), promise: nil)
        }
        if closeAfterReply {
            context.close(promise: nil)
        }
    }
}

@Suite("Hostile servers (real sockets on loopback)")
struct HostileServerTests {
    private func run(reply: [UInt8]?, closeAfterReply: Bool = false) async throws -> SMB2Error {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedReply(reply: reply, closeAfterReply: closeAfterReply))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        var configuration = SMB2ClientConfiguration()
        configuration.requestTimeout = .milliseconds(400)
        configuration.maxFrameSize = 1_048_576
        let client = SMB2Client(configuration: configuration)
        do {
            _ = try await client.withSession(host: "127.0.0.1", port: port, credentials: FakeServer.credentials) { _ in
                1
            }
            throw FleetError("hostile server was accepted")
        } catch let error as SMB2Error {
            return error
        }
    }

    private static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [0, UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + payload
    }

    @Test func oversizedFrameLengthIsRefusedWithoutBuffering() async throws {
        let error = try await run(reply: [0x00, 0xFF, 0xFF, 0xFF, 0xFE, 0x53])
        #expect(error.category == .protocolError)
        #expect(error.message.contains("exceeds"))
    }

    @Test func nonSessionMessageTypeIsAProtocolError() async throws {
        let error = try await run(reply: Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8))
        #expect(error.category == .protocolError)
    }

    @Test func closingAfterNegotiateMeansSMB1Only() async throws {
        let error = try await run(reply: nil, closeAfterReply: true)
        #expect(error.message == "server does not support SMB2/3 (SMB1 only?)")
    }

    @Test func smb1NegotiateAnswerMeansSMB1Only() async throws {
        var smb1: [UInt8] = [0xFF, 0x53, 0x4D, 0x42, 0x72, 0, 0, 0, 0, 0x88, 0x01, 0xC8]
        smb1 += Array(repeating: 0, count: 27)
        let error = try await run(reply: Self.frame(smb1))
        #expect(error.message == "server does not support SMB2/3 (SMB1 only?)")
    }

    @Test func truncatedNegotiateResponseIsAProtocolError() async throws {
        let error = try await run(reply: Self.frame(Array(SambaCaptures.negotiateResponse.prefix(100))))
        #expect(error.category == .protocolError)
    }

    @Test func garbageAfterAValidHeaderIsAProtocolError() async throws {
        var bytes = SambaCaptures.negotiateResponse
        for index in stride(from: 64, to: bytes.count, by: 3) { bytes[index] ^= 0xA5 }
        let error = try await run(reply: Self.frame(bytes))
        #expect(error.category == .protocolError)
    }

    @Test func silentServerTimesOut() async throws {
        let start = ContinuousClock.now
        let error = try await run(reply: nil)
        #expect(error.category == .timeout)
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    @Test func partialFrameThenSilenceTimesOut() async throws {
        let error = try await run(reply: [0x00, 0x00, 0x10, 0x00, 0xFE, 0x53, 0x4D])
        #expect(error.category == .timeout)
    }

    @Test func endlessPendingAnswersStillTimeOut() async throws {
        var header = SMB2Header(command: .negotiate)
        header.status = .pending
        header.flags = [.serverToRedir, .asyncCommand]
        header.credits = 1
        let interim = message(header) { SMB2ErrorResponse(errorContextCount: 0, errorData: []).encode(into: &$0) }
        let error = try await run(reply: Array(repeating: Self.frame(interim.bytes), count: 20).flatMap { $0 })
        #expect(error.category == .timeout)
    }
}
