-- wrk script: a dashboard poll that counts what it got back. The request is wrk's own (the URL
-- and -H headers, e.g. If-None-Match); done() prints one line "statuses: <code>=<count> ..."
-- with the HTTP statuses all threads saw.

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

statuses = {} -- global: done() reads it from each thread with thread:get

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
