/// The one error type of the SMB2 client.
///
/// Shaped like PSQLError / NIOSSHError: an extensible `Category` the caller switches on
/// (a scanner maps it to its own error kinds), the NTSTATUS when the server sent one, and a
/// sentence for people.
public struct SMB2Error: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarse enough to act on. New categories may be added later, so it is a
    /// struct with static members rather than a frozen enum.
    public struct Category: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreachable, auth, accessDenied, shareMissing, folderMissing, noSuchFile
            case protocolError, timeout, cancelled
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Connection refused, no route, name not resolved, or connect timeout.
        public static let unreachable = Category(.unreachable)
        /// The server refused the credentials (logon failure, disabled, locked, expired).
        public static let auth = Category(.auth)
        /// STATUS_ACCESS_DENIED on a share or folder.
        public static let accessDenied = Category(.accessDenied)
        /// STATUS_BAD_NETWORK_NAME: the share does not exist.
        public static let shareMissing = Category(.shareMissing)
        /// The folder (or a parent) does not exist, or is not a directory.
        public static let folderMissing = Category(.folderMissing)
        /// STATUS_NO_SUCH_FILE outside of the cases where it means "empty listing".
        public static let noSuchFile = Category(.noSuchFile)
        /// Anything the server sent that we could not use, including malformed messages.
        public static let protocolError = Category(.protocolError)
        /// A request after connect got no answer within the request timeout.
        public static let timeout = Category(.timeout)
        /// The calling task was cancelled.
        public static let cancelled = Category(.cancelled)

        public var description: String {
            base.rawValue
        }
    }

    public var category: Category
    public var status: NTStatus?
    public var message: String
    /// Set for a connect that timed out (category `unreachable`): with `timeout`, the failures
    /// that an overloaded monitor or network causes as easily as a dead outlet.
    public var connectTimedOut: Bool

    public init(category: Category, status: NTStatus? = nil, message: String, connectTimedOut: Bool = false) {
        self.category = category
        self.status = status
        self.message = message
        self.connectTimedOut = connectTimedOut
    }

    /// No answer in time, at connect or to a request.
    public var isTimeout: Bool { category == .timeout || connectTimedOut }

    public var description: String {
        if let status, !message.contains(status.description) {
            return "SMB2Error.\(category): \(message) (\(status))"
        }
        return "SMB2Error.\(category): \(message)"
    }

    static func protocolError(_ message: String, status: NTStatus? = nil) -> SMB2Error {
        SMB2Error(category: .protocolError, status: status, message: message)
    }

    static let smb1Only = SMB2Error.protocolError("server does not support SMB2/3 (SMB1 only?)")

    /// Maps a failing NTSTATUS to a category; `context` names what we were doing.
    static func from(status: NTStatus, context: String) -> SMB2Error {
        let category: Category
        switch status {
        case .logonFailure, .accountDisabled, .accountLockedOut, .accountRestriction,
            .accountExpired, .passwordExpired, .passwordMustChange, .invalidLogonHours,
            .invalidWorkstation:
            category = .auth
        case .accessDenied, .networkAccessDenied:
            category = .accessDenied
        case .badNetworkName:
            category = .shareMissing
        case .objectNameNotFound, .objectPathNotFound, .notADirectory, .objectNameInvalid,
            .objectPathSyntaxBad:
            category = .folderMissing
        case .noSuchFile:
            category = .noSuchFile
        default:
            category = .protocolError
        }
        return SMB2Error(category: category, status: status, message: "\(context) failed: \(status)")
    }
}
