-- `GET <path>?at=<instant>`: every request an instant of its own, so none is answered from
-- incidentd's response cache (a fixed `at` is cacheable until the rules change) and the
-- answers cover the whole range. AT_FROM (Unix seconds) and AT_SPAN (seconds) set the range;
-- instants step through it by a stride prime to the span, offset per thread.
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("id", threads)
end

local from = tonumber(os.getenv("AT_FROM"))
local span = tonumber(os.getenv("AT_SPAN"))
local stride = 7919 * 61 -- 5 days 14 h 11 min 59 s: consecutive requests land far apart
local n = 0

function request()
    n = n + 1
    local offset = (id * 1000003 + n * stride) % span
    return wrk.format(nil, wrk.path .. "?at=" .. os.date("!%Y-%m-%dT%H:%M:%SZ", from + offset))
end

local non2xx = 0

function response(status, headers, body)
    if status ~= 200 then non2xx = non2xx + 1 end
end
