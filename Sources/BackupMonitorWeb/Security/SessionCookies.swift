import BackupMonitor
import Foundation
import Hummingbird

/// The cookies of a signed-in browser (SPEC §11): the session itself (HttpOnly) and the
/// session's anti-CSRF token, readable by scripts, under two names. Our pages read `bm_csrf`
/// and send it as `X-CSRF-Token`; the original React frontend uses Axios, whose defaults copy a
/// cookie `XSRF-TOKEN` into an `X-XSRF-TOKEN` header on every write (SPEC §13), so the same
/// token is also set under that name and the header is accepted beside ours.
enum SessionCookies {
    static let session = "bm_session"
    static let csrf = "bm_csrf"
    static let axiosCSRF = "XSRF-TOKEN"
    static let csrfHeaders = [FieldName("X-CSRF-Token")!, FieldName("X-XSRF-TOKEN")!]

    /// Sets all three cookies of a new session, each living as long as the session.
    static func signIn(_ response: inout Response, token: String, session: StoredSession, secure: Bool) {
        let maxAge = remainingSeconds(of: session)
        response.setCookie(sessionCookie(token, maxAge: maxAge, secure: secure))
        for name in [csrf, axiosCSRF] {
            response.setCookie(readable(name, session.csrfToken, maxAge: maxAge, secure: secure))
        }
    }

    static func signOut(_ response: inout Response) {
        response.setCookie(sessionCookie("", maxAge: 0, secure: false))
        for name in [csrf, axiosCSRF] {
            response.setCookie(readable(name, "", maxAge: 0, secure: false))
        }
    }

    /// Sessions made before `XSRF-TOKEN` existed, or a browser that lost the cookie, get it
    /// back on their next request, unless the response itself sets it (a sign-out clears it).
    static func restoreAxiosCookie(
        _ response: inout Response, for session: StoredSession, request: Request, secure: Bool
    ) {
        guard request.cookies[axiosCSRF]?.value != session.csrfToken,
            !response.headers[values: .setCookie].contains(where: { $0.hasPrefix("\(axiosCSRF)=") })
        else { return }
        response.setCookie(
            readable(axiosCSRF, session.csrfToken, maxAge: remainingSeconds(of: session), secure: secure))
    }

    /// The anti-CSRF token a write carries in either header (empty when neither is sent).
    static func sentToken(_ request: Request) -> String {
        csrfHeaders.lazy.compactMap { request.headers[$0] }.first { !$0.isEmpty } ?? ""
    }

    static func isSecure(_ request: Request, _ setting: WebSettings.CookieSecurity) -> Bool {
        switch setting {
        case .always: return true
        case .never: return false
        case .auto:
            if request.head.scheme?.lowercased() == "https" { return true }
            return request.headers[FieldName("X-Forwarded-Proto")!]?.lowercased() == "https"
        }
    }

    private static func remainingSeconds(of session: StoredSession) -> Int {
        max(0, Int(session.expiresAt.timeIntervalSinceNow.rounded(.down)))
    }

    private static func sessionCookie(_ value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: session, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// Path `/` and not HttpOnly: a frontend served from another path of the same host (the old
    /// SPA behind the same nginx) must be able to read it.
    private static func readable(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: false, sameSite: .lax)
    }
}
