-- GET every 128 KiB /f chunk of one file in turn: wrk -s chunks.lua URL -- <path> <chunk count>
-- Each thread starts at a different place, so connections do not ask for the same chunk together.
local path, count, n
function init(args)
  path = args[1]
  count = tonumber(args[2])
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
  n = math.random(0, count - 1)
end
function request()
  n = (n + 1) % count
  return wrk.format("GET", "/fs123/7/2/f" .. path .. "?128;" .. (n * 128))
end
