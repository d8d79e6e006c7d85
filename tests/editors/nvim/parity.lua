-- A settings change reaches an open buffer without an edit, in a real headless Neovim 0.11.
--
--   nvim --headless --clean -u tests/editors/nvim/init.lua -c 'luafile tests/editors/nvim/parity.lua'
--
-- Neovim 0.11 pulls diagnostics but cannot be told to pull again (no workspace/diagnostic/refresh),
-- and on Linux it does not watch files for servers. So the server pushes to it and looks at
-- pyproject.toml itself. This script opens app.py (`abort(420)`, `abort(305)`), then saves
-- `[tool.http-status-ls]` into pyproject.toml from Neovim (`:write`) and sends a live settings change
-- (workspace/didChangeConfiguration), and after each waits for the warning to go without touching
-- app.py. Steps are recorded as JSON in $HTTP_STATUS_LS_NVIM_RESULTS; exit status 0 when all passed.

local WAIT_MS = tonumber(os.getenv('HTTP_STATUS_LS_NVIM_WAIT_MS') or '') or 15000
local record = { steps = {}, nvim = tostring(vim.version()) }

local function done(code)
  local path = os.getenv('HTTP_STATUS_LS_NVIM_RESULTS')
  if path and path ~= '' then
    local file = assert(io.open(path, 'w'))
    file:write(vim.json.encode(record))
    file:close()
  end
  io.stderr:write(('http-status-ls Neovim parity %s\n'):format(code == 0 and 'passed' or 'FAILED'))
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop(true)
  end
  vim.cmd(code == 0 and 'qall!' or ('cquit ' .. code))
end

-- Each step returns (ok, detail); the first that fails ends the run.
local function step(name, fn)
  local ran, ok, detail = xpcall(fn, debug.traceback)
  if not ran then
    ok, detail = false, 'error: ' .. tostring(ok)
  end
  record.steps[name] = { ok = ok, detail = detail }
  if not ok then
    done(1)
  end
end

vim.defer_fn(function()
  record.fatal = 'watchdog: over ' .. (WAIT_MS * 4) .. ' ms'
  done(2)
end, WAIT_MS * 4)

local function rules_in(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(found, ('%s@%d'):format(d.code, d.lnum))
  end
  table.sort(found)
  return found
end

local root = vim.fn.tempname()
vim.fn.mkdir(root, 'p')
vim.fn.writefile({ '[project]', 'name = "pets"' }, root .. '/pyproject.toml')
vim.fn.writefile({
  'from flask import abort',
  '',
  '',
  'def calm():',
  '    abort(420)',
  '',
  '',
  'def proxy():',
  '    abort(305)',
}, root .. '/app.py')
record.root = root

vim.cmd.edit(root .. '/app.py')
local app = vim.api.nvim_get_current_buf()
local client

step('attach', function()
  vim.wait(WAIT_MS, function()
    client = vim.lsp.get_clients({ bufnr = app, name = 'http_status_ls' })[1]
    return client ~= nil and client.initialized
  end, 20)
  if client == nil then
    return false, 'no http_status_ls client for app.py'
  end
  local watching = vim.tbl_get(client.capabilities, 'workspace', 'didChangeWatchedFiles', 'dynamicRegistration')
  return true,
    {
      pull_offered = client.server_capabilities.diagnosticProvider ~= nil,
      client_pulls = vim.tbl_get(client.capabilities, 'textDocument', 'diagnostic') ~= nil,
      client_refreshes = vim.tbl_get(client.capabilities, 'workspace', 'diagnostics', 'refreshSupport') == true,
      client_watches_files = watching == true,
    }
end)

local ticks = vim.b[app].changedtick
local expected = { 'deprecated-code@8', 'unofficial-code@4' }

step('before', function()
  local ok = vim.wait(WAIT_MS, function()
    return vim.deep_equal(rules_in(app), expected)
  end, 20)
  return ok, rules_in(app)
end)

step('pyproject_saved', function()
  vim.cmd.edit(root .. '/pyproject.toml')
  vim.api.nvim_buf_set_lines(0, -1, -1, false, { '', '[tool.http-status-ls.rules]', 'unofficial-code = "off"' })
  local started = vim.uv.hrtime()
  vim.cmd.write()
  vim.cmd.buffer(app)
  local ok = vim.wait(WAIT_MS, function()
    return vim.deep_equal(rules_in(app), { 'deprecated-code@8' })
  end, 20)
  return ok,
    {
      rules = rules_in(app),
      ms = math.floor((vim.uv.hrtime() - started) / 1e6),
      app_edited = vim.b[app].changedtick ~= ticks,
    }
end)

step('settings_changed', function()
  client.settings = { httpStatus = { rules = { ['deprecated-code'] = 'off' } } }
  local started = vim.uv.hrtime()
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  local ok = vim.wait(WAIT_MS, function()
    return #vim.diagnostic.get(app) == 0
  end, 20)
  return ok,
    {
      rules = rules_in(app),
      ms = math.floor((vim.uv.hrtime() - started) / 1e6),
      app_edited = vim.b[app].changedtick ~= ticks,
    }
end)

done(0)
