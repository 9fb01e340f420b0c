#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The process's limit on open files, which bounds how many outlets can be connected at once.
enum OpenFileLimit {
    /// The limit after raising it, once per process (a scan needs it; every scan reads it).
    static let processLimit = raised()

    /// Raises the soft limit to the hard one (at most 65 536) and returns the limit now in force.
    /// A systemd service starts with a soft limit of 1024, too few for a scan's connections.
    static func raised() -> Int {
        #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
            var limit = rlimit()
            guard getrlimit(resource, &limit) == 0 else { return 1024 }
            let wanted = min(limit.rlim_max, 65_536)
            if limit.rlim_cur < wanted {
                var raised = limit
                raised.rlim_cur = wanted
                if setrlimit(resource, &raised) == 0 { return Int(wanted) }
            }
            return Int(limit.rlim_cur)
        #else
            return 1024
        #endif
    }
}
