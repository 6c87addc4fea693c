-- The static-file ceiling for /f: the same 128 KiB chunks of the same file as Range requests.
local counter = 0
request = function()
  local off = (counter % 512) * 131072
  counter = counter + 1
  return wrk.format("GET", "/big", { ["Range"] = "bytes=" .. off .. "-" .. (off + 131071) })
end
