-- create.lua — wrk script: POST valid creates with unique names.
-- Each wrk thread gets an id from setup(); names are
-- "<random run prefix>-<thread id>-<counter>", unique across threads and runs.
-- The token, secret and botId come from the environment (never argv).

local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("id", thread_count)
end

function init(args)
    math.randomseed(os.time() + (id or 0) * 7919)
    prefix = string.format("bench%06x", math.random(0, 0xffffff))
    counter = 0
    local token = os.getenv("BENCH_TOKEN") or ""
    secret = os.getenv("BENCH_SECRET") or ""
    path = "/openapi/personalTag?botId=" .. (os.getenv("BENCH_BOT_ID") or "bench")
    headers = {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
    }
end

function request()
    counter = counter + 1
    local body = string.format('{"secret":"%s","name":"%s-%d-%d"}', secret, prefix, id or 0, counter)
    return wrk.format("POST", path, headers, body)
end
