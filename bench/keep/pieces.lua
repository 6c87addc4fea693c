-- GET a random aligned 1 MiB piece of one 64 MiB block: /keep/<locator>/<0..63>.
-- Usage: wrk -s pieces.lua URL -- <locator> <piece count>
local locator, count
function init(args)
  locator = args[1]
  count = tonumber(args[2])
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end
function request()
  return wrk.format("GET", "/keep/" .. locator .. "/" .. math.random(0, count - 1))
end
