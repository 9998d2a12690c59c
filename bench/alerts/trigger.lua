-- wrk script: POST /api/v1/alerts, one trigger per request (issue 5, "Performance").
--
-- Usage: wrk ... -s trigger.lua URL -- MODE API_KEY SERVICE LABEL KEYS_PREFIX
--   MODE         "new": a dedup key never used before on every request
--                       (LABEL-<thread>-<counter>; LABEL must be unique per run);
--                "storm": 100 repeating dedup keys (storm-0 .. storm-99), every request
--                       after the first of a key deduplicates into its open alert
--   API_KEY      a responder key, sent as "Authorization: Bearer <key>"
--   SERVICE      the service the alerts name
--   KEYS_PREFIX  each thread writes the dedup_key of every 2xx answer it saw to
--                KEYS_PREFIX.<thread>, one a line, so the run can check afterwards that every
--                answered trigger was committed; "-" writes nothing
--
-- severity is "warning": a critical alert would open or join an incident (SPEC §3 grouping),
-- which is not the work compared with pgbench here.
-- done() prints one line "statuses: <code>=<count> ..." with the HTTP statuses all threads saw.

local threads = {}

function setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

local mode, service, label
local headers = {}
local counter = 0
local keys_file
statuses = {} -- global: done() reads it from each thread with thread:get

function init(args)
    mode, service, label = args[1], args[3], args[4]
    if mode ~= "new" and mode ~= "storm" then
        error("MODE must be new or storm, not " .. tostring(mode))
    end
    headers["Authorization"] = "Bearer " .. args[2]
    headers["Content-Type"] = "application/json"
    if args[5] ~= "-" then
        keys_file = assert(io.open(args[5] .. "." .. tid, "w"))
    end
end

function request()
    counter = counter + 1
    local key
    if mode == "new" then
        key = label .. "-" .. tid .. "-" .. counter
    else
        key = "storm-" .. (counter % 100)
    end
    local body = '{"service":"' .. service .. '","source":"wrk","summary":"bench alert ' .. key ..
        '","severity":"warning","dedup_key":"' .. key .. '"}'
    return wrk.format("POST", "/api/v1/alerts", headers, body)
end

function response(status, _, body)
    statuses[status] = (statuses[status] or 0) + 1
    if keys_file and status >= 200 and status < 300 then
        -- The answer names the alert's dedup key (SPEC §3); "?" if it ever did not.
        keys_file:write((body:match('"dedup_key":"([^"]*)"') or "?"), "\n")
    end
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
