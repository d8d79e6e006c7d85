-- End-to-end check of editors/nvim against the real http-status-ls, in a real headless Neovim.
--
--   nvim --headless --clean -u tests/editors/nvim/init.lua -c 'luafile tests/editors/nvim/check.lua'
--
-- It writes a small project (a Python file and an OpenAPI YAML file) to a temporary directory,
-- opens both, waits for the client to attach, and checks hover, diagnostics, completion, a code
-- action, inlay hints and a position after non-ASCII text. Each check is recorded as
-- { ok = bool, detail = ... } (or status "missing" when the server does not offer that feature);
-- the results go as JSON to $HTTP_STATUS_LS_NVIM_RESULTS (if set). Exit status: 0 when every check
-- that could run passed, 1 when one failed, 2 when the client never attached. Every wait is bounded.

local WAIT_MS = tonumber(os.getenv('HTTP_STATUS_LS_NVIM_WAIT_MS') or '') or 15000
local results = { checks = {}, nvim = tostring(vim.version()) }

local function record(name, ok, detail, status)
  results.checks[name] = { ok = ok, status = status or (ok and 'passed' or 'failed'), detail = detail }
end

local function finish(code)
  local path = os.getenv('HTTP_STATUS_LS_NVIM_RESULTS')
  if path and path ~= '' then
    local file = assert(io.open(path, 'w'))
    file:write(vim.json.encode(results))
    file:close()
  end
  local failed = {}
  for name, check in pairs(results.checks) do
    if check.status == 'failed' then
      table.insert(failed, name .. ': ' .. vim.inspect(check.detail))
    end
  end
  table.sort(failed)
  if #failed > 0 then
    io.stderr:write('http-status-ls Neovim check FAILED:\n  ' .. table.concat(failed, '\n  ') .. '\n')
  elseif code ~= 0 then
    io.stderr:write('http-status-ls Neovim check FAILED: ' .. (results.fatal or 'unknown error') .. '\n')
  else
    io.stderr:write('http-status-ls Neovim check passed\n')
  end
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop(true)
  end
  vim.cmd(code == 0 and 'qall!' or ('cquit ' .. code))
end

-- A hard stop in case anything below blocks longer than all its bounded waits together.
vim.defer_fn(function()
  results.fatal = 'watchdog: the check took longer than ' .. (WAIT_MS * 8) .. ' ms'
  finish(2)
end, WAIT_MS * 8)

local function write(path, text)
  local file = assert(io.open(path, 'w'))
  file:write(text)
  file:close()
end

local function line_of(buf, pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(pattern, 1, true)
    if col then
      return i - 1, col - 1, line -- 0-based line, 0-based byte column
    end
  end
  error('pattern not in buffer: ' .. pattern)
end

local function diagnostic_with(buf, rule, line)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == rule and (line == nil or d.lnum == line) then
      return d
    end
  end
end

local function request(client, buf, method, params)
  local response, err = client:request_sync(method, params, WAIT_MS, buf)
  if response == nil then
    return nil, 'no answer: ' .. tostring(err)
  end
  if response.err then
    return nil, vim.inspect(response.err)
  end
  return response.result
end

local function position(buf, line, col)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = col } }
end

local function hover_text(result)
  if result == nil then
    return nil
  end
  local contents = result.contents
  if type(contents) == 'string' then
    return contents
  elseif contents.value then
    return contents.value
  end
  local parts = {}
  for _, item in ipairs(contents) do
    table.insert(parts, type(item) == 'string' and item or item.value)
  end
  return table.concat(parts, '\n')
end

-- Run one check; an error inside it is a failed check, not a crashed run.
local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    record(name, false, 'error: ' .. tostring(err))
  end
end

-- The project ---------------------------------------------------------------------------------

local root = vim.fn.tempname()
vim.fn.mkdir(root, 'p')
write(root .. '/pyproject.toml', '[project]\nname = "pets"\nversion = "0"\n')
write(
  root .. '/app.py',
  table.concat({
    'from http import HTTPStatus',
    '',
    'from flask import abort',
    '',
    '',
    'def legacy():',
    '    abort(305)',
    '',
    '',
    'def limited(requests, url):',
    '    requests.get(url, timeout=300)',
    '    abort(420)',
    '',
    '',
    'def missing():',
    '    abort(404)',
    '',
    '',
    'def accents():',
    '    label = "é🙂 日本"; abort(509)',
    '',
  }, '\n')
)
write(
  root .. '/openapi.yaml',
  table.concat({
    'openapi: 3.0.3',
    'info:',
    '  title: Pets',
    '  version: "1"',
    'paths:',
    '  /pets:',
    '    get:',
    '      responses:',
    "        '200':",
    '          description: OK',
    "        '305':",
    '          description: Go through the proxy',
    "        '404':",
    '          description: No such pet',
    '',
  }, '\n')
)
results.root = root

-- The config itself ---------------------------------------------------------------------------

check('config', function()
  local config = vim.lsp.config.http_status_ls
  local source = vim.api.nvim_get_runtime_file('lsp/http_status_ls.lua', true)
  local filetypes = table.concat(config.filetypes or {}, ',')
  local ok = #source == 1
    and source[1]:find('editors/nvim/lsp/http_status_ls.lua', 1, true) ~= nil
    and filetypes == 'python,yaml,json,jsonc'
    and vim.tbl_contains(config.root_markers or {}, 'pyproject.toml')
    and type(config.settings) == 'table'
    and type(config.settings.httpStatus) == 'table'
  record('config', ok, { files = source, filetypes = filetypes, cmd = config.cmd, root_markers = config.root_markers })
end)

-- Attach --------------------------------------------------------------------------------------

vim.cmd.edit(vim.fn.fnameescape(root .. '/app.py'))
local py = vim.api.nvim_get_current_buf()
local client
vim.wait(WAIT_MS, function()
  client = vim.lsp.get_clients({ bufnr = py, name = 'http_status_ls' })[1]
  return client ~= nil and client.initialized == true
end, 20)
if client == nil or not client.initialized then
  results.fatal = 'the http_status_ls client did not attach to app.py within ' .. WAIT_MS .. ' ms (filetype '
    .. vim.bo[py].filetype .. ', cmd ' .. vim.inspect(vim.lsp.config.http_status_ls.cmd) .. ')'
  record('attach', false, results.fatal)
  finish(2)
  return
end
results.offset_encoding = client.offset_encoding
results.root_dir = client.root_dir
results.capabilities = {
  hover = client.server_capabilities.hoverProvider ~= nil,
  completion = client.server_capabilities.completionProvider ~= nil,
  code_action = client.server_capabilities.codeActionProvider ~= nil,
  inlay_hint = client.server_capabilities.inlayHintProvider ~= nil,
  pull_diagnostics = client.server_capabilities.diagnosticProvider ~= nil,
}
record('attach', client.root_dir == root and client.offset_encoding == 'utf-8', {
  root_dir = client.root_dir,
  offset_encoding = client.offset_encoding,
  filetype = vim.bo[py].filetype,
})

-- Diagnostics ---------------------------------------------------------------------------------

check('diagnostic_deprecated', function()
  local line, col = line_of(py, 'abort(305)')
  local found
  vim.wait(WAIT_MS, function()
    found = diagnostic_with(py, 'deprecated-code', line)
    return found ~= nil
  end, 20)
  record('diagnostic_deprecated', found ~= nil and found.col == col + 6 and found.end_col == col + 9
    and found.severity == vim.diagnostic.severity.WARN and found.source == 'http-status-ls'
    and found.message:find('305', 1, true) ~= nil, found and {
      lnum = found.lnum, col = found.col, end_col = found.end_col, severity = found.severity,
      source = found.source, message = found.message, expected_col = col + 6,
    } or { all = vim.diagnostic.get(py) })
end)

check('no_diagnostic_on_timeout', function()
  local line = line_of(py, 'timeout=300')
  local on_line = vim.diagnostic.get(py, { lnum = line })
  record('no_diagnostic_on_timeout', #on_line == 0, on_line)
end)

check('utf8_position', function()
  -- Neovim negotiates utf-8: the column after `é🙂 日本` counts bytes (é 2, 🙂 4, 日本 6).
  local line, col, text = line_of(py, 'abort(509)')
  local found
  vim.wait(WAIT_MS, function()
    found = diagnostic_with(py, 'unofficial-code', line)
    return found ~= nil
  end, 20)
  local lsp_range = found and found.user_data and found.user_data.lsp and found.user_data.lsp.range
  local codepoints = vim.str_utfindex(text, 'utf-32', col + 6)
  record('utf8_position', found ~= nil and found.col == col + 6 and found.end_col == col + 9
    and lsp_range ~= nil and lsp_range.start.character == col + 6, {
      line = text, expected_byte_col = col + 6, code_point_col = codepoints,
      col = found and found.col, end_col = found and found.end_col,
      lsp_start = lsp_range and lsp_range.start, encoding = client.offset_encoding,
    })
end)

-- Hover ---------------------------------------------------------------------------------------

check('hover_python', function()
  local line, col = line_of(py, 'abort(305)')
  local result, err = request(client, py, 'textDocument/hover', position(py, line, col + 7))
  local text = hover_text(result)
  local timeout_line, timeout_col = line_of(py, 'timeout=300')
  local nothing = request(client, py, 'textDocument/hover', position(py, timeout_line, timeout_col + 9))
  record('hover_python', text ~= nil and text:find('305 Use Proxy', 1, true) ~= nil
    and result.range ~= nil and result.range.start.character == col + 6 and result.range['end'].character == col + 9
    and nothing == nil, { text = text and text:sub(1, 300), range = result and result.range, err = err, timeout_hover = nothing })
end)

-- Completion, after an edit (exercises incremental sync) --------------------------------------

check('completion_httpstatus', function()
  local last = vim.api.nvim_buf_line_count(py)
  vim.api.nvim_buf_set_lines(py, last, last, false, { 'status = HTTPStatus.' })
  local line = last
  local col = #'status = HTTPStatus.'
  local params = position(py, line, col)
  params.context = { triggerKind = 2, triggerCharacter = '.' }
  local result, err = request(client, py, 'textDocument/completion', params)
  local items = result and (result.items or result) or {}
  local found
  for _, item in ipairs(items) do
    if item.label == 'NOT_FOUND' then
      found = item
    end
  end
  record('completion_httpstatus', found ~= nil and (found.detail or ''):find('404', 1, true) ~= nil, {
    count = #items, not_found = found and { label = found.label, detail = found.detail, filterText = found.filterText }, err = err,
  })
  vim.api.nvim_buf_set_lines(py, last, last + 1, false, {})
end)

-- A code action, applied the way users do it: vim.lsp.buf.code_action with apply = true ------

check('code_action', function()
  if not results.capabilities.code_action then
    record('code_action', false, 'the server does not offer textDocument/codeAction yet', 'missing')
    return
  end
  local line, col = line_of(py, 'abort(420)')
  vim.wait(WAIT_MS, function()
    return diagnostic_with(py, 'unofficial-code', line) ~= nil
  end, 20)
  vim.api.nvim_win_set_cursor(0, { line + 1, col + 7 })
  local offered = {}
  -- Should several actions pass the filter, Neovim asks through vim.ui.select, which would wait for
  -- a keypress in a headless session: take the first one instead, and keep the titles for the report.
  local choices
  vim.ui.select = function(items, _, on_choice)
    choices = #items
    on_choice(items[1], 1)
  end
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(offered, action.title)
      return vim.startswith(action.kind or '', 'quickfix')
        and (action.title:find('429', 1, true) ~= nil or vim.inspect(action.edit or {}):find("newText = \"429\"", 1, true) ~= nil)
    end,
  })
  local applied = vim.wait(WAIT_MS, function()
    return (vim.api.nvim_buf_get_lines(py, line, line + 1, false)[1] or ''):find('abort(429)', 1, true) ~= nil
  end, 20)
  local cleared = applied and vim.wait(WAIT_MS, function()
    return diagnostic_with(py, 'unofficial-code', line) == nil
  end, 20)
  record('code_action', applied and cleared, {
    line = vim.api.nvim_buf_get_lines(py, line, line + 1, false)[1], offered = offered, diagnostic_cleared = cleared,
    choices = choices,
  })
end)

-- Inlay hints ---------------------------------------------------------------------------------

check('inlay_hints', function()
  if not results.capabilities.inlay_hint then
    record('inlay_hints', false, 'the server does not offer textDocument/inlayHint yet', 'missing')
    return
  end
  local line, col = line_of(py, 'abort(404)')
  vim.lsp.inlay_hint.enable(true, { bufnr = py })
  local hint
  vim.wait(WAIT_MS, function()
    for _, item in ipairs(vim.lsp.inlay_hint.get({ bufnr = py })) do
      local h = item.inlay_hint
      local label = type(h.label) == 'string' and h.label
        or table.concat(vim.tbl_map(function(part) return part.value end, h.label), '')
      if h.position.line == line and label:find('Not Found', 1, true) then
        hint = { label = label, position = h.position }
        return true
      end
    end
    return false
  end, 50)
  record('inlay_hints', hint ~= nil and hint.position.character == col + 9, { hint = hint, expected_character = col + 9 })
end)

-- The OpenAPI file ----------------------------------------------------------------------------

vim.cmd.edit(vim.fn.fnameescape(root .. '/openapi.yaml'))
local yaml = vim.api.nvim_get_current_buf()

check('openapi_attach', function()
  local attached = vim.wait(WAIT_MS, function()
    return vim.lsp.get_clients({ bufnr = yaml, name = 'http_status_ls' })[1] ~= nil
  end, 20)
  local same = attached and vim.lsp.get_clients({ bufnr = yaml, name = 'http_status_ls' })[1].id == client.id
  record('openapi_attach', attached and same, { filetype = vim.bo[yaml].filetype, same_client = same })
end)

check('openapi_diagnostic', function()
  local line, col = line_of(yaml, "'305':")
  local found
  vim.wait(WAIT_MS, function()
    found = diagnostic_with(yaml, 'deprecated-code', line)
    return found ~= nil
  end, 20)
  record('openapi_diagnostic', found ~= nil and found.col >= col and found.end_col <= col + 5, found and {
    lnum = found.lnum, col = found.col, end_col = found.end_col, message = found.message,
  } or { all = vim.diagnostic.get(yaml) })
end)

check('openapi_hover', function()
  local line, col = line_of(yaml, "'404':")
  local result, err = request(client, yaml, 'textDocument/hover', position(yaml, line, col + 2))
  local text = hover_text(result)
  record('openapi_hover', text ~= nil and text:find('404 Not Found', 1, true) ~= nil, { text = text and text:sub(1, 200), err = err })
end)

local any_failed = false
for _, result in pairs(results.checks) do
  any_failed = any_failed or result.status == 'failed'
end
finish(any_failed and 1 or 0)
