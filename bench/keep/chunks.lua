-- GET /f of a collection file in aligned 128 KiB chunks at random: <path>?128;<k*128>.
-- Usage: wrk -s chunks.lua URL -- <fs123 /f path> <chunk count>
local path, count
function init(args)
  path = args[1]
  count = tonumber(args[2])
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end
function request()
  return wrk.format("GET", path .. "?128;" .. (math.random(0, count - 1) * 128))
end
