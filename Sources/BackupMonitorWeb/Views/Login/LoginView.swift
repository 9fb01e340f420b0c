/// The sign-in page (SPEC §8, §11): a plain form post, protected against login CSRF by a
/// token that must match the pre-session cookie set with the form.
struct LoginView: Sendable {
    var username: String?
    var next: String?
    var error: String?
    var formToken: String

    var html: HTML {
        Layout.document(
            "Sign in",
            body: """
                <a class="skip" href="#main">Skip to content</a>
                <main id="main" class="login">
                <h1>Backup Monitor</h1>
                <form method="post" action="\(SiteURL.login.path)" class="card">
                <h2>Sign in</h2>
                \(Layout.message(error, kind: "error"))<input type="hidden" name="_login" value="\(formToken)">
                <input type="hidden" name="next" value="\(next ?? "")">
                <label for="username">User name</label>
                <input id="username" name="username" autocomplete="username" required maxlength="64" value="\(username ?? "")"\(HTML.attribute("autofocus", if: username == nil))>
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200"\(HTML.attribute("autofocus", if: username != nil))>
                <button type="submit" class="primary">Sign in</button>
                </form>
                </main>
                """)
    }
}
