-- wrk script: POST /api/v1/ingest with a small CSV body whose content is unique per request (a
-- new enterprise each time, with a valid credit code), so that every 200 must add one figure and
-- none can be answered as a duplicate. TOKEN comes from the environment.
local alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local weights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

-- GB 32100-2015 check character of the first 17 characters.
local function credit_code(first17)
  local sum = 0
  for i = 1, 17 do
    local c = first17:sub(i, i)
    sum = sum + (alphabet:find(c, 1, true) - 1) * weights[i]
  end
  local check = (31 - sum % 31) % 31
  return first17 .. alphabet:sub(check + 1, check + 1)
end

local threads = {}
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local counter = 0
local token = os.getenv("TOKEN") or ""
function request()
  counter = counter + 1
  local code = credit_code(string.format("9143%02d%011d", id, counter))
  local body = "统一社会信用代码,报告期,工业总产值(万元)\n" .. code .. ",2024-03," .. counter .. "\n"
  return wrk.format("POST", "/api/v1/ingest",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "text/csv"}, body)
end
