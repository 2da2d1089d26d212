--[[
  Applies the planned change of a chunk of ledger entities (tickets, hall visits, cases, ratings,
  snapshot rows) atomically, if none of them changed since the worker read them (optimistic
  concurrency on each entity's version field `_v`). All or nothing: one stale entity and nothing is
  applied, so the worker re-reads and re-plans the chunk.

  KEYS[1]  ingest statistics hash of the receiving day
  KEYS[2]  conflicts list of the feed (capped at 1000)
  KEYS[3]  the feed's running totals of the statistics (every day's increments, for GET /metrics)

  ARGV[1]  the batch's applied-chunks hash, ARGV[2] this chunk's id in it: a chunk already applied
           (the job re-run after its worker died between this call and the job's completion) is not
           applied again — its deliveries are replays, and its statistics are not counted twice.
           The hash lives 7 days (a failed batch retried later than that falls back to the ledger's
           origin check, which recognises new and replaced deliveries but not duplicates)
  then, in groups each introduced by its count:
    entities           n, then per entity: ledger key, planned-from version ("0" if new),
                       write count w, then w × (slot, value)
    statistics         n, then n × (field, increment)
    conflict reports   n, then n × (JSON)
    bucket increments  n, then n × (key, field, increment)   -- already summed over the chunk
    live-set changes   n, then n × (key, member, score)       -- score "" removes the member
  Every key in ARGV carries the hash tag of KEYS[1]'s feed, so the script stays in one Cluster slot.

  Returns 0 when applied, -1 when this chunk of this batch was applied before, or the 1-based
  position of the first stale entity. Everything a write could fail on is checked before the first
  write — each key's type, each counter's current value and its value after the increment (a whole
  number within ±(2^53 − 1), where JavaScript still reads it exactly), each score — so a chunk is
  applied whole or not at all: a refused chunk writes nothing and answers an error starting
  `REFUSED`, which fails its batch for good (kept failed, `idle` false, retryable once repaired).
  (Out of memory cannot strike half-way either: Redis refuses a script's writes only before its first.)
]]
local i = 1
local function take()
  local value = ARGV[i]
  i = i + 1
  return value
end

local LIMIT = 9007199254740991 -- 2^53 - 1
local function refuse(message)
  return redis.error_reply('REFUSED ' .. message .. ': nothing of this chunk was written')
end
-- The type each key must have (or not exist yet), and the integer a counter field holds now.
local typeOf = {}
local function wrongType(key, expected)
  local kind = typeOf[key]
  if not kind then
    kind = redis.call('TYPE', key).ok
    typeOf[key] = kind
  end
  if kind ~= 'none' and kind ~= expected then
    return 'key ' .. key .. ' is a ' .. kind .. ', not a ' .. expected
  end
end
local function badSum(key, field, increment, current)
  current = current or '0'
  if not string.match(current, '^%-?%d+$') or not string.match(increment, '^%-?%d+$') then
    return key .. ' ' .. field .. ' holds ' .. current .. ', to change by ' .. increment .. ': not whole numbers'
  end
  local sum = tonumber(current) + tonumber(increment)
  if math.abs(tonumber(current)) > LIMIT or math.abs(tonumber(increment)) > LIMIT or math.abs(sum) > LIMIT then
    return key .. ' ' .. field .. ' holds ' .. current .. ' and would change by ' .. increment .. ', beyond 2^53 - 1'
  end
end

local appliedKey, chunkId = take(), take()
local problem = wrongType(KEYS[1], 'hash') or wrongType(KEYS[2], 'list') or wrongType(KEYS[3], 'hash') or wrongType(appliedKey, 'hash')
if problem then return refuse(problem) end
if redis.call('HEXISTS', appliedKey, chunkId) == 1 then
  return -1
end

local entityCount = tonumber(take())
local entitiesStart = i
for e = 1, entityCount do
  local key = take()
  local planned = take()
  problem = wrongType(key, 'hash')
  if problem then return refuse(problem) end
  local version = redis.call('HGET', key, '_v') or '0'
  if version ~= planned then
    return e
  end
  if not string.match(version, '^%d+$') then return refuse(key .. ' _v holds ' .. version) end
  i = i + 2 * tonumber(take())
end

-- Counters are read with one HMGET per run of fields of one hash (a chunk's increments come grouped by key).
local function checkSums(key, fields, increments)
  if #fields == 0 then return nil end
  local current = redis.call('HMGET', key, unpack(fields))
  for f = 1, #fields do
    local bad = badSum(key, fields[f], increments[f], current[f] or nil)
    if bad then return bad end
  end
end

local statsStart = i
local fields, increments = {}, {}
for _ = 1, tonumber(take()) do
  fields[#fields + 1], increments[#increments + 1] = take(), take()
end
problem = checkSums(KEYS[1], fields, increments)
if problem then return refuse(problem) end
for _ = 1, tonumber(take()) do
  take()
end
local runKey
fields, increments = {}, {}
for _ = 1, tonumber(take()) do
  local key, field, increment = take(), take(), take()
  if key ~= runKey or #fields == 1000 then
    problem = checkSums(runKey, fields, increments) or wrongType(key, 'hash')
    if problem then return refuse(problem) end
    runKey, fields, increments = key, {}, {}
  end
  fields[#fields + 1], increments[#increments + 1] = field, increment
end
problem = checkSums(runKey, fields, increments)
if problem then return refuse(problem) end
for _ = 1, tonumber(take()) do
  local key, member, score = take(), take(), take()
  problem = wrongType(key, 'zset')
  if problem then return refuse(problem) end
  if score ~= '' and not string.match(score, '^%-?%d+$') then return refuse('score ' .. score .. ' of ' .. member .. ' is not a whole number') end
end

i = entitiesStart
for _ = 1, entityCount do
  local key = take()
  take() -- version, checked above
  local writes = tonumber(take())
  for _ = 1, writes do
    redis.call('HSET', key, take(), take())
  end
  if writes > 0 then
    redis.call('HINCRBY', key, '_v', 1)
  end
end

i = statsStart
for _ = 1, tonumber(take()) do
  local field, increment = take(), take()
  redis.call('HINCRBY', KEYS[1], field, increment)
  redis.call('HINCRBY', KEYS[3], field, increment)
end

local conflicts = tonumber(take())
for _ = 1, conflicts do
  redis.call('LPUSH', KEYS[2], take())
end
if conflicts > 0 then
  redis.call('LTRIM', KEYS[2], 0, 999)
end

for _ = 1, tonumber(take()) do
  local key, field, increment = take(), take(), take()
  if redis.call('HINCRBY', key, field, increment) == 0 then
    redis.call('HDEL', key, field)
  end
end

for _ = 1, tonumber(take()) do
  local key, member, score = take(), take(), take()
  if score == '' then
    redis.call('ZREM', key, member)
  else
    redis.call('ZADD', key, score, member)
  end
end

redis.call('HSET', appliedKey, chunkId, 1)
redis.call('EXPIRE', appliedKey, 604800)
return 0
