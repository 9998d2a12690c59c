-- Every request a request-target of its own (`&miss=<thread>-<n>`, a parameter the list ignores),
-- so none is answered from incidentd's response cache: the price of a poll after a change.
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("id", threads)
end

local n = 0

function request()
    n = n + 1
    return wrk.format(nil, wrk.path .. "&miss=" .. id .. "-" .. n)
end
