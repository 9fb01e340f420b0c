import BackupMonitor
import Foundation
import Hummingbird

/// JSON answers, encoded one way everywhere: stable key order, slashes unescaped.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            // Only non-finite doubles can fail here; answer with a well-formed error instead of crashing.
            data = Data(#"{"status":"error","error":"the response could not be encoded"}"#.utf8)
            return Response(
                status: .internalServerError, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The ISO 8601 text of `date` in `timeZone`, as the original API wrote times.
    static func timestamp(_ date: Date = Date(), _ timeZone: TimeZone) -> String {
        ISO8601Text.format(date, timeZone: timeZone)
    }
}

/// The envelope keys every response of the original API carries (SPEC §7) beside `status`,
/// `data` and `count`: `advancedDate`, `advancedDateCount`, `processingTime` (seconds) and
/// `timestamp`. A handler starts one when it starts, so the time is the request's own.
struct LegacyEnvelopeClock {
    private let start = ContinuousClock.now

    /// Seconds since the handler started, to the hundredth as the original wrote them.
    var processingTime: Double {
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (seconds * 100).rounded() / 100
    }
}

/// A header name; `HTTPField` itself is not re-exported by Hummingbird.
typealias FieldName = HTTPFields.Element.Name
