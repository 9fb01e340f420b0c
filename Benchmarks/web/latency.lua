-- wrk script of the web benchmark: sends the session cookie (BENCH_COOKIE), counts non-2xx
-- answers, and prints one JSON line (prefix BENCH_JSON) with latency percentiles in ms read
-- from wrk's own latency histogram.

local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
end
wrk.headers["Accept-Encoding"] = "identity"

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    bad = 0
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        bad = bad + 1
    end
end

function done(summary, latency, requests)
    local bad_total = 0
    for _, thread in ipairs(threads) do
        bad_total = bad_total + (thread:get("bad") or 0)
    end
    local errors = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'BENCH_JSON {"requests":%d,"seconds":%.3f,"rps":%.2f,"p50_ms":%.3f,"p95_ms":%.3f,"p99_ms":%.3f,'
            .. '"max_ms":%.3f,"mean_ms":%.3f,"non2xx":%d,"socket_errors":%d,"timeouts":%d,"bytes":%d}\n',
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, latency.mean / 1000, bad_total,
        errors.connect + errors.read + errors.write, errors.timeout, summary.bytes))
end
