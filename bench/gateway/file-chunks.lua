-- GET /f of the 64 MiB file in aligned 128 KiB chunks, cycling through all 512 of them.
local counter = 0
local prefix = os.getenv("FS123_FILE_URL") or "/fs123/7/2/f/data/big"
request = function()
  local off = (counter % 512) * 128
  counter = counter + 1
  return wrk.format("GET", prefix .. "?128;" .. off)
end
