/// The bytes of a backup file the monitor reads: its first block and its last block, and the
/// file's size when they were read (SPEC §5: content verification). Everything in this module
/// is a pure function of these bytes: no I/O, no clock, safe on hostile input.
public struct ContentSample: Sendable, Hashable {
    /// The file's first bytes (at most one block; the whole file when it is smaller).
    public var head: [UInt8]
    /// The file's last bytes, ending at `fileSize` (empty when `head` already holds the file).
    public var tail: [UInt8]
    /// The file's size, from the open handle: it may have grown since the listing.
    public var fileSize: UInt64

    public init(head: [UInt8], tail: [UInt8], fileSize: UInt64) {
        self.head = head
        self.tail = tail
        self.fileSize = fileSize
    }

    /// Where `tail` starts in the file.
    public var tailOffset: UInt64 { fileSize - UInt64(tail.count) }

    /// The last bytes of the file: `tail`, or the end of `head` when the file fits in it.
    var end: [UInt8] { tail.isEmpty ? head : tail }

    /// Where `end` starts in the file.
    var endOffset: UInt64 { tail.isEmpty ? 0 : tailOffset }

    var headIsWholeFile: Bool { UInt64(head.count) >= fileSize }
}

/// What the content said.
public enum ContentVerdict: Sendable, Hashable {
    /// A backup of a known format whose robust facts hold.
    case verified(ContentFacts)
    /// No known backup of its kind: zeros, text, another format (SPEC §4 `not_a_backup`).
    case notABackup(String)
    /// The head is right but the end is missing or cut (SPEC §4 `incomplete`).
    case incomplete(String)
    /// The format is not one we know: the content was not checked, and the record says so.
    case unchecked(String)
}

/// The backup formats the monitor recognises.
public enum BackupFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// SQL Server native backup, Microsoft Tape Format.
    case sqlServer = "sql_server"
    /// SQL Server backup with compression (`MSSQLBAK`); its headers are not decoded.
    case sqlServerCompressed = "sql_server_compressed"
    case zip
    case gzip
    case sevenZip = "7z"
    case rar4
    case rar5

    public var label: String {
        switch self {
        case .sqlServer: "SQL Server backup"
        case .sqlServerCompressed: "SQL Server backup (compressed)"
        case .zip: "ZIP archive"
        case .gzip: "gzip file"
        case .sevenZip: "7z archive"
        case .rar4: "RAR archive (RAR 4)"
        case .rar5: "RAR archive (RAR 5)"
        }
    }
}

/// The kind of backup, when the format says it.
public enum BackupKind: String, Sendable, Hashable, CaseIterable, Codable {
    case full
    case differential
    case copyOnly = "copy_only"
    case log
}

/// What a verified backup's content told, informational only: never a failure by itself.
public struct ContentFacts: Sendable, Hashable, Codable {
    public var format: BackupFormat
    public var kind: BackupKind?
    public var database: String?
    public var server: String?
    public var software: String?
    public var compressed: Bool
    public var encrypted: Bool
    /// What could not be checked although the format is known (e.g. a compressed backup's end).
    public var notes: [String]

    public init(
        format: BackupFormat, kind: BackupKind? = nil, database: String? = nil, server: String? = nil,
        software: String? = nil, compressed: Bool = false, encrypted: Bool = false, notes: [String] = []
    ) {
        self.format = format
        self.kind = kind
        self.database = database
        self.server = server
        self.software = software
        self.compressed = compressed
        self.encrypted = encrypted
        self.notes = notes
    }
}
