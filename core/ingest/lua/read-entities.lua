--[[
  Reads ledger entities in one call (issue 19): a chunk of a batch, a page of rebuild or verify, a chunk
  of the evidence pack — one command and one reply instead of one HGETALL, promise and reply each.

  KEYS     the entities' ledger keys (one feed's: one hash tag, one Cluster slot)
  ARGV     none

  Returns, per key in order, its hash as HGETALL answers it (field, value, …; empty for a new entity).
  A key that holds something else than a hash refuses the whole read: `REFUSED key <key> is a <type>,
  not a hash`.
]]
local out = {}
for k = 1, #KEYS do
  local hash = redis.pcall('HGETALL', KEYS[k])
  if hash.err then
    return redis.error_reply('REFUSED key ' .. KEYS[k] .. ' is a ' .. redis.call('TYPE', KEYS[k]).ok .. ', not a hash')
  end
  out[k] = hash
end
return out
