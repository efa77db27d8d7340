-- create.lua — wrk script for bench/run: POST valid creates with unique names,
-- the same request the harness's `valid` suite sends, so wrk's rate is the
-- ceiling of the server under test for this operation.
-- Names are "<random prefix>-<thread id>-<counter>": unique across threads
-- and runs, so the server stores every one (no duplicate-name 403s).
-- The token, secret and bot id come from the environment, never argv.

local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("id", thread_count)
end

function init(args)
    math.randomseed(os.time() + (id or 0) * 7919)
    prefix = string.format("wrk%06x", math.random(0, 0xffffff))
    counter = 0
    secret = os.getenv("BENCH_SECRET") or ""
    path = "/openapi/personalTag?botId=" .. (os.getenv("BENCH_BOT_ID") or "bench")
    headers = {
        ["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or ""),
        ["Content-Type"] = "application/json",
        ["Accept"] = "application/json",
    }
end

function request()
    counter = counter + 1
    local body = string.format('{"secret":"%s","name":"%s-%d-%d"}', secret, prefix, id or 0, counter)
    return wrk.format("POST", path, headers, body)
end
