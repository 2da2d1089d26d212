--[[
  Applies the planned change of one ledger entity (a ticket, a hall visit, a snapshot row …) atomically,
  if nobody changed the entity since the worker read it (optimistic concurrency on a version field).

  KEYS[1]  the entity's ledger hash (field `_v` is its version)
  KEYS[2]  ingest statistics hash of the processing day
  KEYS[3]  conflicts list of the feed (capped at 1000)

  ARGV[1]  the version the plan was computed from ("0" for a new entity)
  then, each group introduced by its count:
    ledger writes      n, then n × (field, value)
    statistics         n, then n × (field, increment)
    conflict reports   n, then n × (JSON)
    bucket increments  n, then n × (key, field, increment)   -- keys share KEYS[1]'s hash tag
    live-set changes   n, then n × (key, member, score)       -- score "" removes the member

  Returns "ok" when applied, "stale" when the version moved (the caller re-reads and re-plans).
]]
local version = redis.call('HGET', KEYS[1], '_v') or '0'
if version ~= ARGV[1] then
  return 'stale'
end

local i = 2
local function count()
  local n = tonumber(ARGV[i])
  i = i + 1
  return n
end

local n = count()
for _ = 1, n do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
if n > 0 then
  redis.call('HINCRBY', KEYS[1], '_v', 1)
end

n = count()
for _ = 1, n do
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
  i = i + 2
end

n = count()
for _ = 1, n do
  redis.call('LPUSH', KEYS[3], ARGV[i])
  i = i + 1
end
if n > 0 then
  redis.call('LTRIM', KEYS[3], 0, 999)
end

n = count()
for _ = 1, n do
  local after = redis.call('HINCRBY', ARGV[i], ARGV[i + 1], ARGV[i + 2])
  if after == 0 then
    redis.call('HDEL', ARGV[i], ARGV[i + 1])
  end
  i = i + 3
end

n = count()
for _ = 1, n do
  if ARGV[i + 2] == '' then
    redis.call('ZREM', ARGV[i], ARGV[i + 1])
  else
    redis.call('ZADD', ARGV[i], ARGV[i + 2], ARGV[i + 1])
  end
  i = i + 3
end

return 'ok'
