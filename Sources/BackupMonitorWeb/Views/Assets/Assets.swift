import Crypto
import Foundation
import Hummingbird

/// The stylesheet and script, compiled into the binary: nothing to build, nothing to find on
/// disk at run time, and one ETag per content so browsers revalidate cheaply.
enum Assets {
    struct Asset: Sendable {
        var contentType: String
        var body: String
        var etag: String

        init(contentType: String, body: String) {
            self.contentType = contentType
            self.body = body
            etag =
                "\"" + SHA256.hash(data: Data(body.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
        }
    }

    static let stylesheet = Asset(contentType: "text/css; charset=utf-8", body: Stylesheet.text)
    static let script = Asset(contentType: "text/javascript; charset=utf-8", body: Script.text)

    static func response(_ asset: Asset, _ request: Request) -> Response {
        var headers: HTTPFields = [.contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache"]
        if request.headers[.ifNoneMatch] == asset.etag {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(asset.body.utf8.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: asset.body)))
    }
}
