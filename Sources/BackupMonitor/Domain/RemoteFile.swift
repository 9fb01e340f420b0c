import Foundation

/// One entry of a remote directory listing, as the evaluation needs it.
///
/// It is independent of the SMB client so the rules stay a pure function that tests can
/// feed with literals.
public struct RemoteFile: Sendable, Hashable {
    public var name: String
    public var lastWriteTime: Date
    public var size: UInt64
    public var isDirectory: Bool

    public init(name: String, lastWriteTime: Date, size: UInt64, isDirectory: Bool = false) {
        self.name = name
        self.lastWriteTime = lastWriteTime
        self.size = size
        self.isDirectory = isDirectory
    }
}
