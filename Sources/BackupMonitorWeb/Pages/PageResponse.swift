import BackupMonitor
import Foundation
import Hummingbird

/// HTML answers of the pages: one content type, one Content-Security-Policy that allows only
/// our own stylesheet and script (no inline script, so an injected tag could not run even if
/// escaping ever failed).
enum PageResponse {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[FieldName("Content-Security-Policy")!] = contentSecurityPolicy
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.text)))
    }

    /// 303 See Other: after a form post the browser fetches `location` with GET.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A page for a refused or failed request; the message never holds internals.
    static func error(_ status: HTTPResponse.Status, _ message: String, context: PageContext?) -> Response {
        let body: HTML = """
            \(Layout.message(message, kind: "error"))<p><a href="\(SiteURL.dashboard.path)">Back to the dashboard</a></p>
            """
        let title = "\(status.code) \(status.reasonPhrase)"
        if let context {
            return html(
                Layout.page(title, section: nil, context: context, showsSelection: false, body: body), status: status)
        }
        return html(Layout.document(title, body: "<main id=\"main\"><h1>\(title)</h1>\(body)</main>"), status: status)
    }

    /// A use case's refusal as a page: its status from the API's one mapping, its words as a sentence.
    static func error(_ refusal: UseCaseError, context: PageContext?) -> Response {
        error(APIError.status(of: refusal.kind), sentence(refusal.message), context: context)
    }

    /// `no outlet X` as a person reads it on a page: `No outlet X.`
    static func sentence(_ message: String) -> String {
        guard let first = message.first else { return message }
        let capitalised = first.uppercased() + message.dropFirst()
        return capitalised.hasSuffix(".") ? capitalised : capitalised + "."
    }
}
