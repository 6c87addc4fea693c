-- GET 1 MiB at a random byte offset of one 64 MiB block with a Range header.
-- Usage: wrk -s ranges.lua URL -- <locator> <block size>
local locator, size
local mib = 1048576
function init(args)
  locator = args[1]
  size = tonumber(args[2])
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end
function request()
  local offset = math.random(0, size - mib)
  return wrk.format("GET", "/keep/" .. locator, { Range = "bytes=" .. offset .. "-" .. (offset + mib - 1) })
end
