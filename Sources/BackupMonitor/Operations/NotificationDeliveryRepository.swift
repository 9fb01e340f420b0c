import Foundation
import SQLKit

/// One delivery of one message to one webhook, as logged (SPEC §12 delivery log).
public struct NotificationDelivery: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case delivered
        case failed
    }

    public var id: String
    public var createdAt: Date
    /// The masked URL (`WebhookTarget.maskedURL`): the log never holds a webhook's token.
    public var target: String
    public var format: WebhookTarget.Format
    /// `scan_finished` or `test`.
    public var event: String
    public var scanID: String?
    public var status: Status
    public var httpStatus: Int?
    public var attempts: Int
    public var error: String?
}

public struct NotificationDeliveryRepository: Sendable {
    public let database: MonitorDatabase

    public init(database: MonitorDatabase) {
        self.database = database
    }

    func insert(_ delivery: NotificationDelivery) async throws {
        try await database.withSQL { sql in
            try await sql.insert(into: "notification_deliveries")
                .columns(
                    "id", "created_at", "target", "format", "event", "scan_id", "status", "http_status", "attempts",
                    "error"
                )
                .values(
                    SQLBind(delivery.id), SQLBind(delivery.createdAt.unixMilliseconds), SQLBind(delivery.target),
                    SQLBind(delivery.format.rawValue), SQLBind(delivery.event), SQLBind(delivery.scanID),
                    SQLBind(delivery.status.rawValue), SQLBind(delivery.httpStatus), SQLBind(delivery.attempts),
                    SQLBind(delivery.error)
                ).run()
        }
    }

    /// Newest first.
    public func recent(limit: Int, offset: Int = 0) async throws -> [NotificationDelivery] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("notification_deliveries")
                .orderBy("created_at", .descending).orderBy("id").limit(limit).offset(offset).all()
                .map { row in
                    let formatText = try row.decode(column: "format", as: String.self)
                    let statusText = try row.decode(column: "status", as: String.self)
                    guard let format = WebhookTarget.Format(rawValue: formatText),
                        let status = NotificationDelivery.Status(rawValue: statusText)
                    else {
                        throw StorageCorruptionError(
                            description: "notification_deliveries row with \(formatText) \(statusText)")
                    }
                    return NotificationDelivery(
                        id: try row.decode(column: "id", as: String.self),
                        createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                        target: try row.decode(column: "target", as: String.self), format: format,
                        event: try row.decode(column: "event", as: String.self),
                        scanID: try row.decode(column: "scan_id", as: String?.self), status: status,
                        httpStatus: try row.decode(column: "http_status", as: Int?.self),
                        attempts: try row.decode(column: "attempts", as: Int.self),
                        error: try row.decode(column: "error", as: String?.self))
                }
        }
    }

    public func count() async throws -> Int {
        try await database.withSQL { sql in
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("notification_deliveries").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
