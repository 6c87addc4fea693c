-- GET every 1 MiB piece of every block in turn: wrk -s pieces.lua URL -- <locator file> <pieces per block>
local urls, n = {}, 0
function init(args)
  local per = tonumber(args[2])
  for locator in io.lines(args[1]) do
    for p = 0, per - 1 do
      urls[#urls + 1] = "/keep/" .. locator .. "/" .. p
    end
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
  n = math.random(0, #urls - 1)
end
function request()
  n = n % #urls + 1
  return wrk.format("GET", urls[n])
end
