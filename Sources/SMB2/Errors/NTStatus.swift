/// A 32-bit NTSTATUS code as carried in the SMB2 header's Status field ([MS-ERREF] 2.3).
///
/// Unknown codes stay representable: the raw value is kept and printed in hex, so a server
/// that answers something unexpected is still reported precisely.
public struct NTStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let success = NTStatus(rawValue: 0x0000_0000)
    public static let pending = NTStatus(rawValue: 0x0000_0103)
    public static let moreProcessingRequired = NTStatus(rawValue: 0xC000_0016)
    public static let noMoreFiles = NTStatus(rawValue: 0x8000_0006)
    public static let bufferOverflow = NTStatus(rawValue: 0x8000_0005)
    public static let noSuchFile = NTStatus(rawValue: 0xC000_000F)
    public static let endOfFile = NTStatus(rawValue: 0xC000_0011)
    public static let invalidParameter = NTStatus(rawValue: 0xC000_000D)
    public static let invalidDeviceRequest = NTStatus(rawValue: 0xC000_0010)
    public static let accessDenied = NTStatus(rawValue: 0xC000_0022)
    public static let objectNameInvalid = NTStatus(rawValue: 0xC000_0033)
    public static let objectNameNotFound = NTStatus(rawValue: 0xC000_0034)
    public static let objectPathNotFound = NTStatus(rawValue: 0xC000_003A)
    public static let objectPathSyntaxBad = NTStatus(rawValue: 0xC000_003B)
    public static let sharingViolation = NTStatus(rawValue: 0xC000_0043)
    public static let logonFailure = NTStatus(rawValue: 0xC000_006D)
    public static let accountRestriction = NTStatus(rawValue: 0xC000_006E)
    public static let invalidLogonHours = NTStatus(rawValue: 0xC000_006F)
    public static let invalidWorkstation = NTStatus(rawValue: 0xC000_0070)
    public static let passwordExpired = NTStatus(rawValue: 0xC000_0071)
    public static let accountDisabled = NTStatus(rawValue: 0xC000_0072)
    public static let insufficientResources = NTStatus(rawValue: 0xC000_009A)
    public static let notSupported = NTStatus(rawValue: 0xC000_00BB)
    public static let networkNameDeleted = NTStatus(rawValue: 0xC000_00C9)
    public static let networkAccessDenied = NTStatus(rawValue: 0xC000_00CA)
    public static let badNetworkName = NTStatus(rawValue: 0xC000_00CC)
    public static let requestNotAccepted = NTStatus(rawValue: 0xC000_00D0)
    public static let notADirectory = NTStatus(rawValue: 0xC000_0103)
    public static let cancelled = NTStatus(rawValue: 0xC000_0120)
    public static let fileClosed = NTStatus(rawValue: 0xC000_0128)
    public static let passwordMustChange = NTStatus(rawValue: 0xC000_0224)
    public static let accountExpired = NTStatus(rawValue: 0xC000_0193)
    public static let userSessionDeleted = NTStatus(rawValue: 0xC000_0203)
    public static let accountLockedOut = NTStatus(rawValue: 0xC000_0234)
    public static let networkSessionExpired = NTStatus(rawValue: 0xC000_035C)
    public static let invalidSignature = NTStatus(rawValue: 0xC000_A000)

    /// The symbolic name, as Windows and Samba print it.
    public var name: String? {
        Self.names[rawValue]
    }

    public var description: String {
        name ?? "NTSTATUS 0x" + String(rawValue, radix: 16, uppercase: true)
    }

    /// Severity bits 31..30 equal to 3 mean error ([MS-ERREF] 2.3.1).
    public var isError: Bool {
        rawValue >> 30 == 3
    }

    private static let names: [UInt32: String] = [
        success.rawValue: "STATUS_SUCCESS",
        pending.rawValue: "STATUS_PENDING",
        moreProcessingRequired.rawValue: "STATUS_MORE_PROCESSING_REQUIRED",
        noMoreFiles.rawValue: "STATUS_NO_MORE_FILES",
        bufferOverflow.rawValue: "STATUS_BUFFER_OVERFLOW",
        noSuchFile.rawValue: "STATUS_NO_SUCH_FILE",
        endOfFile.rawValue: "STATUS_END_OF_FILE",
        invalidParameter.rawValue: "STATUS_INVALID_PARAMETER",
        invalidDeviceRequest.rawValue: "STATUS_INVALID_DEVICE_REQUEST",
        accessDenied.rawValue: "STATUS_ACCESS_DENIED",
        objectNameInvalid.rawValue: "STATUS_OBJECT_NAME_INVALID",
        objectNameNotFound.rawValue: "STATUS_OBJECT_NAME_NOT_FOUND",
        objectPathNotFound.rawValue: "STATUS_OBJECT_PATH_NOT_FOUND",
        objectPathSyntaxBad.rawValue: "STATUS_OBJECT_PATH_SYNTAX_BAD",
        sharingViolation.rawValue: "STATUS_SHARING_VIOLATION",
        logonFailure.rawValue: "STATUS_LOGON_FAILURE",
        accountRestriction.rawValue: "STATUS_ACCOUNT_RESTRICTION",
        invalidLogonHours.rawValue: "STATUS_INVALID_LOGON_HOURS",
        invalidWorkstation.rawValue: "STATUS_INVALID_WORKSTATION",
        passwordExpired.rawValue: "STATUS_PASSWORD_EXPIRED",
        accountDisabled.rawValue: "STATUS_ACCOUNT_DISABLED",
        insufficientResources.rawValue: "STATUS_INSUFFICIENT_RESOURCES",
        notSupported.rawValue: "STATUS_NOT_SUPPORTED",
        networkNameDeleted.rawValue: "STATUS_NETWORK_NAME_DELETED",
        networkAccessDenied.rawValue: "STATUS_NETWORK_ACCESS_DENIED",
        badNetworkName.rawValue: "STATUS_BAD_NETWORK_NAME",
        requestNotAccepted.rawValue: "STATUS_REQUEST_NOT_ACCEPTED",
        notADirectory.rawValue: "STATUS_NOT_A_DIRECTORY",
        cancelled.rawValue: "STATUS_CANCELLED",
        fileClosed.rawValue: "STATUS_FILE_CLOSED",
        passwordMustChange.rawValue: "STATUS_PASSWORD_MUST_CHANGE",
        accountExpired.rawValue: "STATUS_ACCOUNT_EXPIRED",
        userSessionDeleted.rawValue: "STATUS_USER_SESSION_DELETED",
        accountLockedOut.rawValue: "STATUS_ACCOUNT_LOCKED_OUT",
        networkSessionExpired.rawValue: "STATUS_NETWORK_SESSION_EXPIRED",
        invalidSignature.rawValue: "STATUS_INVALID_SIGNATURE",
    ]
}
