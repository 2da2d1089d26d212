--[[
  Counts a batch's received and rejected records in the ingest statistics exactly once. The server
  calls it once the batch is queued, and the worker when it first takes the batch (before applying
  anything), so a batch is counted even when the server never got to it (its process died, or Redis
  went away, between queueing and counting) and its outcomes can never exceed `received`.

  KEYS[1]  ingest statistics hash of the receiving day
  KEYS[2]  the batch's applied-chunks hash (same feed hash tag); field `counted` marks the batch counted
  KEYS[3]  the feed's running totals of the same statistics (same feed hash tag; GET /metrics reads them)
  ARGV[1]  received, ARGV[2] rejected

  Returns 1 when counted now, 0 when it had been.
]]
if redis.call('HSETNX', KEYS[2], 'counted', 1) == 0 then return 0 end
redis.call('EXPIRE', KEYS[2], 604800)
redis.call('HINCRBY', KEYS[1], 'received', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'rejected', ARGV[2])
redis.call('HINCRBY', KEYS[3], 'received', ARGV[1])
redis.call('HINCRBY', KEYS[3], 'rejected', ARGV[2])
return 1
