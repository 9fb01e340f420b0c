import Foundation

/// A Windows FILETIME: 100-nanosecond intervals since 1601-01-01 UTC ([MS-DTYP] 2.3.3).
public struct SMB2FileTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var raw: UInt64

    public init(raw: UInt64) {
        self.raw = raw
    }

    /// Seconds between 1601-01-01 and 1970-01-01.
    private static let unixEpochOffsetSeconds: UInt64 = 11_644_473_600

    public init(date: Date) {
        let seconds = date.timeIntervalSince1970 + Double(Self.unixEpochOffsetSeconds)
        raw = seconds <= 0 ? 0 : UInt64(min(seconds * 10_000_000, Double(UInt64.max / 2)))
    }

    /// The same instant as a `Date` (0 maps to 1601-01-01), cut to whole microseconds: a `Date`
    /// (a Double) cannot hold 100-ns ticks this far from its epoch, and rounding the last tick of a
    /// day (23:59:59.9999999) would carry it into the next day. A microsecond less never does.
    public var date: Date {
        let seconds = Double(raw / 10_000_000) - Double(Self.unixEpochOffsetSeconds)
        let microseconds = Double(raw % 10_000_000 / 10)
        return Date(timeIntervalSince1970: seconds + microseconds / 1_000_000)
    }

    public var description: String {
        date.formatted(.iso8601)
    }

    public static func < (lhs: SMB2FileTime, rhs: SMB2FileTime) -> Bool {
        lhs.raw < rhs.raw
    }
}

/// [MS-FSCC] 2.6 file attributes.
public struct SMB2FileAttributes: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let readOnly = SMB2FileAttributes(rawValue: 0x0000_0001)
    public static let hidden = SMB2FileAttributes(rawValue: 0x0000_0002)
    public static let system = SMB2FileAttributes(rawValue: 0x0000_0004)
    public static let directory = SMB2FileAttributes(rawValue: 0x0000_0010)
    public static let archive = SMB2FileAttributes(rawValue: 0x0000_0020)
    public static let normal = SMB2FileAttributes(rawValue: 0x0000_0080)
    public static let reparsePoint = SMB2FileAttributes(rawValue: 0x0000_0400)
}

/// One entry of a directory listing, as QUERY_DIRECTORY returns it: the listing already
/// carries times and sizes, so no per-file round trip is ever needed.
public struct SMB2DirectoryEntry: Sendable, Hashable {
    public var name: String
    public var lastWriteTime: SMB2FileTime
    public var creationTime: SMB2FileTime
    /// The file size in bytes (EndOfFile).
    public var endOfFile: UInt64
    public var attributes: SMB2FileAttributes

    public init(
        name: String, lastWriteTime: SMB2FileTime, creationTime: SMB2FileTime, endOfFile: UInt64,
        attributes: SMB2FileAttributes
    ) {
        self.name = name
        self.lastWriteTime = lastWriteTime
        self.creationTime = creationTime
        self.endOfFile = endOfFile
        self.attributes = attributes
    }

    public var isDirectory: Bool {
        attributes.contains(.directory)
    }
}
