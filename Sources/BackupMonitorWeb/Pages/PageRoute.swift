import BackupMonitor
import Foundation
import Hummingbird

/// One page route: method, path, who may open it, and its handler. Signed-in handlers get the
/// `PageContext`; a visitor without a session is sent to the sign-in page instead of getting
/// the API's 401 JSON, and a too-small role gets a 403 page (SPEC §11).
struct PageRoute: Sendable {
    typealias OpenHandler = @Sendable (Request, MonitorRequestContext) async throws -> Response
    typealias Handler = @Sendable (Request, MonitorRequestContext, PageContext) async throws -> Response

    enum Kind: Sendable {
        case open(OpenHandler)
        case signedIn(UserRole, Handler)
    }

    var method: HTTPRequest.Method
    var path: String
    var kind: Kind

    /// The role needed, nil for open routes (the route audit reads this).
    var role: UserRole? {
        if case .signedIn(let role, _) = kind { return role }
        return nil
    }

    static func open(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping OpenHandler) -> PageRoute {
        PageRoute(method: method, path: path, kind: .open(handler))
    }

    static func page(
        _ method: HTTPRequest.Method, _ path: String, _ role: UserRole, _ handler: @escaping Handler
    ) -> PageRoute {
        PageRoute(method: method, path: path, kind: .signedIn(role, handler))
    }
}

/// The clock pages read; snapshot tests fix it.
struct PageClock: Sendable {
    var now: @Sendable () -> Date

    static let system = PageClock { Date() }
}

extension Router where Context == MonitorRequestContext {
    /// Registers page routes, each behind its sign-in and role check, with errors as HTML pages.
    func register(_ pages: [PageRoute], dependencies: AppDependencies, clock: PageClock) {
        for route in pages {
            on(RouterPath(route.path), method: route.method) { request, context in
                switch route.kind {
                case .open(let handler):
                    do {
                        return try await handler(request, context)
                    } catch let error as APIError {
                        return PageResponse.error(error.status, error.message, context: nil)
                    } catch let refusal as UseCaseError {
                        return PageResponse.error(refusal, context: nil)
                    }
                case .signedIn(let role, let handler):
                    guard let principal = context.principal else {
                        if context.csrfRejected {
                            return PageResponse.error(
                                .forbidden,
                                "This form has expired or came from another site. Reload the page and try again.",
                                context: nil)
                        }
                        return PageResponse.redirect(Self.loginURL(returningTo: request))
                    }
                    var page: PageContext?
                    do {
                        page = try PageContext.make(
                            request, principal: principal, dependencies: dependencies, clock: clock)
                        guard principal.role >= role, let page else {
                            throw APIError(
                                .forbidden,
                                "This page needs the \(role.rawValue) role; \(principal.user.username) is \(principal.role.rawValue)."
                            )
                        }
                        return try await handler(request, context, page)
                    } catch let error as APIError {
                        return PageResponse.error(error.status, error.message, context: page)
                    } catch let refusal as UseCaseError {
                        return PageResponse.error(refusal, context: page)
                    } catch let error as HTTPError {
                        return PageResponse.error(error.status, error.body ?? error.status.reasonPhrase, context: page)
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        context.logger.error(
                            "page failed",
                            metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
                        return PageResponse.error(
                            .internalServerError, "Something went wrong; the server log has the details.", context: page
                        )
                    }
                }
            }
        }
    }

    /// `/login?next=/backups?status=failed`: only GETs come back to where they were.
    private static func loginURL(returningTo request: Request) -> String {
        guard request.method == .get else { return SiteURL.login.path }
        let target = request.uri.description
        guard target != SiteURL.dashboard.path else { return SiteURL.login.path }
        return SiteURL.login.with([("next", target)])
    }
}

extension PageContext {
    /// The page context of a request: the principal, and the `mode` and `date` it asks for.
    static func make(
        _ request: Request, principal: Principal, dependencies: AppDependencies, clock: PageClock
    ) throws -> PageContext {
        let query = QueryReader.page(request)
        let now = clock.now()
        let timeZone = dependencies.configuration.timeZone
        let today = CalendarDay(containing: now, in: timeZone)
        let day = try query.day("date") ?? today
        guard day <= today.adding(days: 1) else {
            throw APIError.badRequest("date \(day) is in the future", parameter: "date")
        }
        return PageContext(
            username: principal.user.username, role: principal.role, csrfToken: principal.csrfToken,
            mode: try query.choice("mode", as: ScanMode.self) ?? .ddrive, day: day, now: now, timeZone: timeZone)
    }
}
