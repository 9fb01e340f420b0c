import PostgresKit
import SQLKit
import SQLiteKit

/// A value bound into a query read by position: the only kinds those queries use.
enum PositionalBind: Sendable {
    case text(String)
    case bool(Bool)

    var sqlite: SQLiteData {
        switch self {
        case .text(let text): .text(text)
        case .bool(let bool): .integer(bool ? 1 : 0)
        }
    }
}

extension MonitorDatabase.Driver {
    /// `query` as its SQL text and binds, for the driver's own query API: built with SQLKit,
    /// read by position (see `RecordRepository.fetchRecords` for why).
    static func serialize(_ sql: any SQLDatabase, _ query: SQLSelectBuilder) throws -> (String, [PositionalBind]) {
        var serializer = SQLSerializer(database: sql)
        query.select.serialize(to: &serializer)
        let binds = try serializer.binds.map { bind -> PositionalBind in
            switch bind {
            case let text as String: return .text(text)
            case let bool as Bool: return .bool(bool)
            default: throw StorageCorruptionError(description: "a positional query bound \(type(of: bind))")
            }
        }
        return (serializer.sql, binds)
    }

    static func postgresBindings(_ binds: [PositionalBind]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case .text(let text): bindings.append(text)
            case .bool(let bool): bindings.append(bool)
            }
        }
        return bindings
    }
}

/// A PostgreSQL row's cells read in order, each as a concrete type. `PostgresRow.decode` of a
/// tuple goes through parameter packs and, for every optional value, through an unspecialised
/// generic path that instantiates type metadata per cell (about a tenth of the servers page and
/// of the CSV export on PostgreSQL, profiled).
struct PostgresCells {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    private mutating func nextCell() throws -> PostgresCell {
        guard let cell = cells.next() else { throw StorageCorruptionError(description: "a row with too few columns") }
        return cell
    }

    mutating func next<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value {
        try nextCell().decode(Value.self)
    }

    mutating func nextOptional<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value? {
        let cell = try nextCell()
        guard cell.bytes != nil else { return nil }
        return try cell.decode(Value.self)
    }
}
