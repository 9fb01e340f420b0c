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
    /// Runs `query` (built with SQLKit) through the driver's own API and builds a value from
    /// each row by position: SQLite's values, PostgreSQL's cells in order. SQLKit's
    /// `decode(column:as:)` looks each column up by name and decodes it through `Decodable`;
    /// for the 14 columns of a record that was most of the CSV export's and the servers page's
    /// time (profiled at two years of history).
    func rows<Row>(
        _ sql: any SQLDatabase, _ query: SQLSelectBuilder, sqlite: ([SQLiteData]) throws -> Row,
        postgres: (inout PostgresCells) throws -> Row
    ) async throws -> [Row] {
        let (text, binds) = try Self.serialize(sql, query)
        var values: [Row] = []
        switch self {
        case .sqlite(let connection):
            let rows = try await connection.query(text, binds.map(\.sqlite))
            values.reserveCapacity(rows.count)
            for row in rows { values.append(try sqlite(row.columns.map(\.data))) }
        case .postgres(let connection, let logger):
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: text, binds: Self.postgresBindings(binds)), logger: logger)
            for try await row in rows {
                var cells = PostgresCells(row)
                values.append(try postgres(&cells))
            }
        }
        return values
    }

    /// `query` as its SQL text and binds, for the driver's own query API.
    private static func serialize(_ sql: any SQLDatabase, _ query: SQLSelectBuilder) throws -> (
        String, [PositionalBind]
    ) {
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

    private static func postgresBindings(_ binds: [PositionalBind]) -> PostgresBindings {
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

/// A row's cells read one after another in column order, whichever driver read them: what a
/// table's one declaration of its columns (`RecordColumns`) decodes from.
protocol RowCells {
    mutating func text() throws -> String
    mutating func optionalText() throws -> String?
    mutating func integer() throws -> Int64
    mutating func optionalInteger() throws -> Int64?
    mutating func bool() throws -> Bool
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

extension PostgresCells: RowCells {
    mutating func text() throws -> String { try next(String.self) }
    mutating func optionalText() throws -> String? { try nextOptional(String.self) }
    mutating func integer() throws -> Int64 { try next(Int64.self) }
    mutating func optionalInteger() throws -> Int64? { try nextOptional(Int64.self) }
    mutating func bool() throws -> Bool { try next(Bool.self) }
}

/// A SQLite row's values read by position and type, naming the column when one holds
/// something else; as `RowCells`, one after another.
struct SQLiteValues: RowCells {
    private let values: [SQLiteData]
    private let table: String
    private let columns: [String]
    /// The next value `RowCells` reads.
    private var position = 0

    init(_ values: [SQLiteData], table: String, columns: [String]) throws {
        guard values.count == columns.count else {
            throw StorageCorruptionError(description: "a \(table) row with \(values.count) columns")
        }
        self.values = values
        self.table = table
        self.columns = columns
    }

    func text(_ index: Int) throws -> String {
        guard case .text(let value) = values[index] else { throw unreadable(index) }
        return value
    }

    func optionalText(_ index: Int) throws -> String? {
        if case .null = values[index] { return nil }
        return try text(index)
    }

    func integer(_ index: Int) throws -> Int64 {
        guard case .integer(let value) = values[index] else { throw unreadable(index) }
        return Int64(value)
    }

    func optionalInteger(_ index: Int) throws -> Int64? {
        if case .null = values[index] { return nil }
        return try integer(index)
    }

    mutating func text() throws -> String { try advance(text(_:)) }
    mutating func optionalText() throws -> String? { try advance(optionalText(_:)) }
    mutating func integer() throws -> Int64 { try advance(integer(_:)) }
    mutating func optionalInteger() throws -> Int64? { try advance(optionalInteger(_:)) }
    /// SQLite keeps booleans as integers.
    mutating func bool() throws -> Bool { try advance(integer(_:)) != 0 }

    private mutating func advance<Value>(_ read: (Int) throws -> Value) throws -> Value {
        guard position < values.count else {
            throw StorageCorruptionError(description: "a \(table) row with too few columns")
        }
        defer { position += 1 }
        return try read(position)
    }

    private func unreadable(_ index: Int) -> StorageCorruptionError {
        StorageCorruptionError(description: "\(table).\(columns[index]) holds \(values[index])")
    }
}

/// An SQLKit row's columns read by name in a declared order, as `RowCells`: for the rare reads
/// inside a transaction, where only SQLKit's connection is at hand.
struct SQLRowCells: RowCells {
    private let row: any SQLRow
    private let columns: [String]
    private var position = 0

    init(_ row: any SQLRow, columns: [String]) {
        self.row = row
        self.columns = columns
    }

    private mutating func next<Value: Decodable>(_ type: Value.Type) throws -> Value {
        guard position < columns.count else { throw StorageCorruptionError(description: "a row with too few columns") }
        defer { position += 1 }
        return try row.decode(column: columns[position], as: Value.self)
    }

    mutating func text() throws -> String { try next(String.self) }
    mutating func optionalText() throws -> String? { try next(String?.self) }
    mutating func integer() throws -> Int64 { try next(Int64.self) }
    mutating func optionalInteger() throws -> Int64? { try next(Int64?.self) }
    mutating func bool() throws -> Bool { try next(Bool.self) }
}
