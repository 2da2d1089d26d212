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
    bucket increments  n, then n × (key, field, increment)   -- summed over the chunk (a repeat adds up)
    live-set changes   n, then n × (key, member, score)       -- score "" removes the member
  Every key in ARGV carries the hash tag of KEYS[1]'s feed, so the script stays in one Cluster slot.

  Returns 0 when applied, -1 when this chunk of this batch was applied before, or the 1-based
  position of the first stale entity. Everything a write could fail on is checked before the first
  write — each key's type, each counter's current value and its value after the increment (a whole
  number within ±(2^53 − 1), where JavaScript still reads it exactly), each score — so a chunk is
  applied whole or not at all: a refused chunk writes nothing and answers an error starting
  `REFUSED`, which fails its batch for good (kept failed, `idle` false, retryable once repaired).
  (Out of memory cannot strike half-way either: Redis refuses a script's writes only before its first.)

  Writes, once everything is checked, are one per thing (issue 19): an entity's slots and its next `_v`
  in one HSET; each bucket at its fields' values after the chunk (computed from the checks' HMGET), one
  HSET per bucket and one HDEL of the fields that came to 0 — not an HINCRBY per field and per entity.
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
  -- A ledger key is read once: HGET answers an error for a key that is not a hash (nothing written yet).
  local version = redis.pcall('HGET', key, '_v')
  if type(version) == 'table' and version.err then return refuse(wrongType(key, 'hash') or version.err) end
  version = version or '0'
  if version ~= planned then
    return e
  end
  if not string.match(version, '^%d+$') then return refuse(key .. ' _v holds ' .. version) end
  i = i + 2 * tonumber(take())
end

-- Counters are read with one HMGET per run of fields of one hash (a chunk's increments come grouped by key).
-- With `into`, each counter's value after the increment is kept (into[key][field], a whole-number string)
-- for the writes, a field named twice adding up, so each field is written once, by one HSET per run.
local function checkSums(key, fields, increments, into)
  if #fields == 0 then return nil end
  local current = redis.call('HMGET', key, unpack(fields))
  local after = into and into[key]
  if into and not after then
    after = {}
    into[key] = after
    into[#into + 1] = key
  end
  for f = 1, #fields do
    local field = fields[f]
    local now = (after and after[field]) or current[f] or nil
    local bad = badSum(key, field, increments[f], now)
    if bad then return bad end
    if after then after[field] = string.format('%.0f', tonumber(now or '0') + tonumber(increments[f])) end
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
-- Bucket key → field → its value after the chunk; the keys in order at [1..n].
local buckets = {}
fields, increments = {}, {}
for _ = 1, tonumber(take()) do
  local key, field, increment = take(), take(), take()
  if key ~= runKey or #fields == 1000 then
    problem = checkSums(runKey, fields, increments, buckets) or wrongType(key, 'hash')
    if problem then return refuse(problem) end
    runKey, fields, increments = key, {}, {}
  end
  fields[#fields + 1], increments[#increments + 1] = field, increment
end
problem = checkSums(runKey, fields, increments, buckets)
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
  local version = tonumber(take())
  local writes = tonumber(take())
  -- The entity's slots and its next version in one HSET.
  if writes > 0 then
    local hset = { key }
    for _ = 1, writes do
      hset[#hset + 1] = take()
      hset[#hset + 1] = take()
    end
    hset[#hset + 1] = '_v'
    hset[#hset + 1] = string.format('%d', version + 1)
    redis.call('HSET', unpack(hset))
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

-- Each bucket field once, at its value after the chunk (checked above): one HSET of the changed fields per
-- bucket (at most 500 fields a call, within unpack's reach), one HDEL of those that came to 0.
local counted = tonumber(take())
i = i + 3 * counted
for b = 1, #buckets do
  local key = buckets[b]
  local hset, hdel = { key }, { key }
  for field, value in pairs(buckets[key]) do
    if value == '0' then
      hdel[#hdel + 1] = field
    else
      hset[#hset + 1] = field
      hset[#hset + 1] = value
      if #hset > 1000 then
        redis.call('HSET', unpack(hset))
        hset = { key }
      end
    end
    if #hdel > 1000 then
      redis.call('HDEL', unpack(hdel))
      hdel = { key }
    end
  end
  if #hset > 1 then redis.call('HSET', unpack(hset)) end
  if #hdel > 1 then redis.call('HDEL', unpack(hdel)) end
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
