import Hummingbird

/// Counts every request and times it to the end of its body (SPEC §12 HTTP request metrics).
/// Labelled by the matched route pattern, never the raw path, so outlet codes or ids in URLs
/// cannot grow the number of series; paths that match no route pass through router middleware
/// too and share the one route label Hummingbird gives them, `NotFound`.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = MonitorRequestContext
    let metrics: MonitorMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        do {
            var response = try await next(request, context)
            let status = Int(response.status.code)
            let metrics = metrics
            let route = context.endpointPath ?? "unmatched"
            let body = response.body
            // Recorded when the body is written (an event stream ends), not when the handler returns.
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                defer {
                    metrics.recordRequest(
                        method: method, route: route, status: status, duration: ContinuousClock.now - start)
                }
                try await body.write(writer)
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(
                method: method, route: context.endpointPath ?? "unmatched", status: Int(status),
                duration: ContinuousClock.now - start)
            throw error
        }
    }
}
