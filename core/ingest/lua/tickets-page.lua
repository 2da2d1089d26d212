--[[
  A page of the hotline `tickets` index for the hotspot detector (core/analytics/hotspot-runner.ts): the
  tickets signed in [min, max], from the offset-th on, at most `count`, in signed-time order — as one string
  of `<signed time> <member>` lines joined by "\n" (members never hold a newline: encodeDimValue), so that the
  detector reads one reply per page instead of two strings per ticket.

  KEYS[1]  the `tickets` index (sorted set: member `<category>|<street>|<ticket>`, score = signed time)
  ARGV     min, max (epoch ms), offset, count

  Returns { tickets in the page, the lines }.
]]
local page = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', ARGV[3], ARGV[4])
local lines = {}
for i = 1, #page, 2 do
  lines[#lines + 1] = page[i + 1] .. ' ' .. page[i]
end
return { #lines, table.concat(lines, '\n') }
