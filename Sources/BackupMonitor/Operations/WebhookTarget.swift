import Foundation

/// One webhook from `NOTIFY_WEBHOOKS` (SPEC §12): a URL and the payload shape it expects.
public struct WebhookTarget: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable, CaseIterable, Codable {
        /// The monitor's own JSON (`event`, counts, outlet lists), for scripts and chat bridges.
        case generic
        /// Slack incoming webhooks: `text` plus Block Kit `blocks`.
        case slack
        /// Microsoft Teams incoming webhooks: a legacy MessageCard.
        case teams
    }

    public var format: Format
    public var url: URL

    public init(format: Format, url: URL) {
        self.format = format
        self.url = url
    }

    /// Parses `slack:https://…`, `teams:https://…`, `generic:https://…` or a bare `https://…`.
    /// Returns a sentence for the configuration error when the item is not usable.
    public static func parse(_ item: String) -> Result<WebhookTarget, WebhookTargetError> {
        var format = Format.generic
        var rest = Substring(item)
        for candidate in Format.allCases where item.lowercased().hasPrefix(candidate.rawValue + ":") {
            format = candidate
            rest = item.dropFirst(candidate.rawValue.count + 1)
        }
        guard let url = URL(string: String(rest)), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            // The item may hold a token: say where it went wrong without repeating it.
            return .failure(
                WebhookTargetError(problem: "an item is not an http(s) URL (prefix slack: or teams: allowed)"))
        }
        return .success(WebhookTarget(format: format, url: url))
    }

    /// The URL safe to log and show: scheme, host, port and the first path segment; the rest of
    /// the path, the query and any user info are masked, because Slack, Teams and most webhook
    /// services put the secret token there.
    public var maskedURL: String { Self.mask(url) }

    static func mask(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "*****" }
        let segments = components.path.split(separator: "/", omittingEmptySubsequences: true)
        var path = ""
        if let first = segments.first { path = "/" + first }
        if segments.count > 1 { path += "/*****" }
        components.path = path
        if components.user != nil || components.password != nil {
            components.user = "*****"
            components.password = nil
        }
        components.query = components.query == nil ? nil : "*****"
        components.fragment = nil
        return components.string ?? "*****"
    }
}

public struct WebhookTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problem: String
    public var description: String { problem }
}
