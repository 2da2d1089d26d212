--[[
  Applies one accepted record exactly once.

  KEYS[1]  ledger hash of the record's entity (e.g. one ticket); field = natural-key part
  KEYS[2]  day bucket hash the record counts into
  KEYS[3]  ingest statistics hash of the processing day
  KEYS[4]  conflicts list (capped)

  ARGV[1]  ledger field (the natural-key part within the entity, e.g. "signed")
  ARGV[2]  origin: "<batchId>:<index>", identifies this delivery of the record
  ARGV[3]  record id
  ARGV[4]  canonical content JSON (without id), what duplicates and conflicts are compared on
  ARGV[5]  natural key, for the conflict report
  ARGV[6]  processing time (epoch ms), for the conflict report
  ARGV[7..] pairs of (bucket field, integer increment)

  The ledger value is "<origin>\n<id>\n<content>".

  Returns "new" (counted), "replay" (this very delivery was already applied: a retried job; nothing
  counted again), "duplicate" (same content already accepted) or "conflict" (different content under
  an accepted natural key: the first one stands, the new one is reported).
]]
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  local firstBreak = string.find(existing, '\n', 1, true)
  local secondBreak = string.find(existing, '\n', firstBreak + 1, true)
  if string.sub(existing, 1, firstBreak - 1) == ARGV[2] then
    return 'replay'
  end
  if string.sub(existing, secondBreak + 1) == ARGV[4] then
    redis.call('HINCRBY', KEYS[3], 'duplicate', 1)
    return 'duplicate'
  end
  redis.call('HINCRBY', KEYS[3], 'conflict', 1)
  redis.call('LPUSH', KEYS[4], cjson.encode({
    key = ARGV[5], at = tonumber(ARGV[6]), kept = string.sub(existing, secondBreak + 1), refused = ARGV[4]
  }))
  redis.call('LTRIM', KEYS[4], 0, 999)
  return 'conflict'
end

redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\n' .. ARGV[3] .. '\n' .. ARGV[4])
for i = 7, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
end
redis.call('HINCRBY', KEYS[3], 'accepted', 1)
return 'new'
