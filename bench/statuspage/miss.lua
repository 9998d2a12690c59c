-- wrk script: every request a response-cache miss. The cache keys on the request target, so each
-- request carries a query string never sent before (the status page routes ignore it). Meant for
-- one thread (-t1): threads would each count from 1.
local n = 0

request = function()
    n = n + 1
    return wrk.format("GET", wrk.path .. "?miss=" .. n)
end
