-- wrk script: dashboards polling, counting what they got back. The request is wrk's own (the URL
-- and -H headers, e.g. If-None-Match).
--
-- Usage: wrk ... -s poll.lua URL -- INTERVAL_MS
--   INTERVAL_MS  each connection waits this long after an answer before its next poll (a
--                dashboard polls every few seconds: many of them are many connections, each
--                mostly idle); 0 polls back to back
-- done() prints one line "statuses: <code>=<count> ..." with the HTTP statuses all threads saw.

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

statuses = {} -- global: done() reads it from each thread with thread:get
local interval = 0

function init(args)
    interval = tonumber(args[1] or "0") or 0
end

function delay()
    return interval
end

function response(status)
    statuses[status] = (statuses[status] or 0) + 1
end

function done()
    local total, codes = {}, {}
    for _, thread in ipairs(threads) do
        for code, count in pairs(thread:get("statuses")) do
            if not total[code] then table.insert(codes, code) end
            total[code] = (total[code] or 0) + count
        end
    end
    table.sort(codes)
    local line = "statuses:"
    for _, code in ipairs(codes) do
        line = line .. " " .. code .. "=" .. total[code]
    end
    print(line)
end
