-- Completion of OpenAPI response keys accepted with real keys, in a real headless Neovim 0.11.
--
--   HTTP_STATUS_LS_NVIM_WAY=omnifunc nvim --headless --clean -u tests/editors/nvim/init.lua \
--     -c 'luafile tests/editors/nvim/completion.lua'
--
-- The way completion is used (HTTP_STATUS_LS_NVIM_WAY):
--   omnifunc    only what Neovim sets up on attach: 'omnifunc' is vim.lsp.omnifunc, used with
--               <C-x><C-o>, and nothing expands snippets;
--   completion  the LspAttach autocmd editors/nvim recommends, which calls
--               vim.lsp.completion.enable(true, client.id, buf, { autotrigger = true }).
-- Each case opens its own file of one small project, types keys in Insert mode as a user would,
-- waits for the popup, accepts the selected item with <C-y>, leaves Insert mode, and records the
-- lines of the buffer. Results go as JSON to $HTTP_STATUS_LS_NVIM_RESULTS;
-- exit status 0 when every case ran to the end (the Python test asserts the text), 1 otherwise.

local WAIT_MS = tonumber(os.getenv('HTTP_STATUS_LS_NVIM_WAIT_MS') or '') or 15000
local WAY = os.getenv('HTTP_STATUS_LS_NVIM_WAY') or 'omnifunc'
-- How long to look for a change after <C-y> where none may come (omnifunc inserts nothing more),
-- and where the snippet comes after one round trip (completionItem/resolve).
local SETTLE_MS = 400
local EXPAND_MS = math.min(WAIT_MS, 5000)
local results = { way = WAY, cases = {}, nvim = tostring(vim.version()) }

local function finish(code)
  local path = os.getenv('HTTP_STATUS_LS_NVIM_RESULTS')
  if path and path ~= '' then
    local file = assert(io.open(path, 'w'))
    file:write(vim.json.encode(results))
    file:close()
  end
  io.stderr:write(('http-status-ls Neovim completion (%s) %s\n'):format(WAY, code == 0 and 'ran' or 'FAILED'))
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop(true)
  end
  vim.cmd(code == 0 and 'qall!' or ('cquit ' .. code))
end

vim.defer_fn(function()
  results.fatal = 'watchdog: over ' .. (WAIT_MS * 8) .. ' ms'
  finish(2)
end, WAIT_MS * 8)

if WAY == 'completion' then
  -- As the `---@brief` of editors/nvim/lsp/http_status_ls.lua recommends.
  vim.api.nvim_create_autocmd('LspAttach', {
    callback = function(args)
      local client = vim.lsp.get_client_by_id(args.data.client_id)
      if client and client.name == 'http_status_ls' then
        vim.lsp.completion.enable(true, client.id, args.buf, { autotrigger = true })
      end
    end,
  })
end

-- Typed keys are only read once this script gives control back to Neovim's main loop, so the cases
-- run in a coroutine that yields while it waits and is resumed by a timer.
local runner

local function wait_until(condition, timeout_ms)
  local deadline = vim.uv.now() + timeout_ms
  local function poll()
    local ok, met = pcall(condition)
    if (ok and met) or vim.uv.now() >= deadline then
      local resumed, err = coroutine.resume(runner, ok and met or false)
      if not resumed then
        results.fatal = debug.traceback(runner, err)
        finish(1)
      end
    else
      vim.defer_fn(poll, 20)
    end
  end
  vim.defer_fn(poll, 0)
  return coroutine.yield()
end

local function pause(ms)
  wait_until(function()
    return false
  end, ms)
end

local function type_keys(keys)
  vim.api.nvim_feedkeys(vim.keycode(keys), 'nt', false)
end

-- The project ---------------------------------------------------------------------------------

local root = vim.fn.tempname()
vim.fn.mkdir(root, 'p')
vim.fn.writefile({ '[project]', 'name = "pets"' }, root .. '/pyproject.toml')
results.root = root

local YAML = {
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
  '        ',
  '  /owners:',
  '    get:',
  '      responses:',
  "        '200':",
  '          description: OK',
}
local YAML_CURSOR = 11 -- 1-based line of the new key, indented like the keys above it

local JSON = {
  '{',
  '  "openapi": "3.1.0",',
  '  "info": {"title": "Pets", "version": "1"},',
  '  "paths": {',
  '    "/pets": {',
  '      "get": {',
  '        "responses": {',
  '          "200": {"description": "OK"},',
  '          ',
  '        }',
  '      }',
  '    }',
  '  }',
  '}',
}
local JSON_CURSOR = 9

-- What the popup shows: the first items, each with its label (abbr) and the word it inserts.
local function popup()
  local info = vim.fn.complete_info({ 'items', 'selected' })
  local words = {}
  for i, item in ipairs(info.items or {}) do
    if i > 5 then
      break
    end
    table.insert(words, { word = item.word, abbr = item.abbr })
  end
  return { selected = info.selected, first = words, count = #(info.items or {}) }
end

-- One case: a file of its own, keys typed on `cursor_line`, the popup awaited, <C-y>, <Esc>.
local function run_case(name, spec)
  local case = { keys = spec.keys }
  results.cases[name] = case
  local path = root .. '/' .. name .. spec.extension
  vim.fn.writefile(spec.lines, path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  local client
  case.attached = wait_until(function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'http_status_ls' })[1]
    return client ~= nil and client.initialized
  end, WAIT_MS)
  if not case.attached then
    case.error = 'the client did not attach'
    return
  end
  case.omnifunc = vim.bo[buf].omnifunc
  vim.api.nvim_win_set_cursor(0, { spec.cursor_line, 0 })
  type_keys(spec.keys)
  case.popup_shown = wait_until(function()
    return vim.fn.pumvisible() == 1
  end, WAIT_MS)
  case.popup = popup()
  case.line_while_selected = vim.api.nvim_get_current_line()
  if not case.popup_shown then
    case.error = 'no completion popup'
    type_keys('<C-e><Esc>')
    return
  end
  local below = vim.api.nvim_buf_get_lines(buf, spec.cursor_line, spec.cursor_line + 1, false)[1]
  type_keys('<C-y>')
  wait_until(function()
    return vim.fn.pumvisible() == 0
  end, WAIT_MS)
  -- vim.lsp.completion expands the snippet once completionItem/resolve has answered: wait until the
  -- line below the cursor changes, or briefly where nothing more is to come.
  wait_until(function()
    return vim.api.nvim_buf_get_lines(buf, spec.cursor_line, spec.cursor_line + 1, false)[1] ~= below
  end, spec.expands and EXPAND_MS or SETTLE_MS)
  pause(100)
  case.mode_after_accept = vim.api.nvim_get_mode().mode
  case.snippet_active = vim.snippet.active()
  type_keys('<Esc>')
  wait_until(function()
    return vim.api.nvim_get_mode().mode == 'n'
  end, WAIT_MS)
  case.lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  case.done = true
end

local CASES = {
  omnifunc = {
    { 'yaml_nothing_typed', { lines = YAML, cursor_line = YAML_CURSOR, extension = '.yaml', keys = 'A<C-x><C-o>' } },
    { 'yaml_quote_typed', { lines = YAML, cursor_line = YAML_CURSOR, extension = '.yaml', keys = "A'4<C-x><C-o>" } },
    { 'yaml_digit_typed', { lines = YAML, cursor_line = YAML_CURSOR, extension = '.yaml', keys = 'A4<C-x><C-o>' } },
    { 'json_quote_typed', { lines = JSON, cursor_line = JSON_CURSOR, extension = '.json', keys = 'A"<C-x><C-o>' } },
  },
  completion = {
    -- `'` is a trigger character: typing it opens the popup (autotrigger).
    { 'yaml_quote_autotrigger', { lines = YAML, cursor_line = YAML_CURSOR, extension = '.yaml', keys = "A'", expands = true } },
    {
      'yaml_invoked',
      { lines = YAML, cursor_line = YAML_CURSOR, extension = '.yaml', keys = 'A<Cmd>lua vim.lsp.completion.get()<CR>', expands = true },
    },
    -- <C-x><C-o> in a buffer where vim.lsp.completion is enabled: accepting expands the snippet too.
    { 'yaml_omnifunc', { lines = YAML, cursor_line = YAML_CURSOR, extension = '.yaml', keys = 'A<C-x><C-o>', expands = true } },
    { 'yaml_digit_omnifunc', { lines = YAML, cursor_line = YAML_CURSOR, extension = '.yaml', keys = 'A4<C-x><C-o>', expands = true } },
    { 'json_quote_autotrigger', { lines = JSON, cursor_line = JSON_CURSOR, extension = '.json', keys = 'A"', expands = true } },
  },
}

runner = coroutine.create(function()
  local cases = CASES[WAY]
  if cases == nil then
    results.fatal = 'unknown HTTP_STATUS_LS_NVIM_WAY: ' .. WAY
    finish(2)
    return
  end
  results.completeopt = vim.o.completeopt
  local all_done = true
  for _, case in ipairs(cases) do
    local ok, err = xpcall(run_case, debug.traceback, case[1], case[2])
    if not ok then
      results.cases[case[1]].error = tostring(err)
    end
    all_done = all_done and results.cases[case[1]].done == true
  end
  finish(all_done and 0 or 1)
end)

local started, err = coroutine.resume(runner)
if not started then
  results.fatal = tostring(err)
  finish(1)
end
