-- What a user sees when the server is not where editors/nvim looks for it, in a real headless Neovim.
--
--   nvim --headless --clean -u NONE -c 'luafile tests/editors/nvim/not_on_path.lua'
--
-- Unlike init.lua, this keeps the config's own `cmd` (the program `http-status-ls`, found on PATH):
-- the test runs it with a PATH that has the program and with one that has not. It opens a Python
-- file, waits for the client or for a message, and records the clients, `:messages` and
-- `:checkhealth vim.lsp` as JSON in $HTTP_STATUS_LS_NVIM_RESULTS.

local WAIT_MS = tonumber(os.getenv('HTTP_STATUS_LS_NVIM_WAIT_MS') or '') or 15000
local here = vim.fs.dirname(vim.fs.normalize(debug.getinfo(1, 'S').source:sub(2)))
local repo = vim.fs.normalize(vim.fn.fnamemodify(here .. '/../../..', ':p'))

vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.g.loaded_python3_provider = 0
vim.g.loaded_ruby_provider = 0
vim.g.loaded_node_provider = 0
vim.g.loaded_perl_provider = 0
-- HTTP_STATUS_LS_NVIM_CMD_LIST=1: a user's own `cmd` as a list, the form Neovim checks before start.
if os.getenv('HTTP_STATUS_LS_NVIM_CMD_LIST') == '1' then
  vim.lsp.config('http_status_ls', { cmd = { 'http-status-ls' } })
end
vim.lsp.enable('http_status_ls')

local record = { path = vim.env.PATH }

local root = vim.fn.tempname()
vim.fn.mkdir(root, 'p')
vim.fn.writefile({ '[project]', 'name = "pets"' }, root .. '/pyproject.toml')
vim.fn.writefile({ 'from flask import abort', '', 'abort(305)' }, root .. '/app.py')

local function messages()
  return vim.api.nvim_exec2('messages', { output = true }).output
end

vim.cmd.edit(vim.fn.fnameescape(root .. '/app.py'))
local buf = vim.api.nvim_get_current_buf()
vim.wait(WAIT_MS, function()
  local client = vim.lsp.get_clients({ bufnr = buf })[1]
  return (client ~= nil and client.initialized) or messages() ~= ''
end, 20)
local client = vim.lsp.get_clients({ bufnr = buf })[1]
record.attached = client ~= nil and client.initialized == true
record.filetype = vim.bo[buf].filetype
record.messages = messages()

vim.cmd('checkhealth vim.lsp')
record.health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')

local file = assert(io.open(assert(os.getenv('HTTP_STATUS_LS_NVIM_RESULTS')), 'w'))
file:write(vim.json.encode(record))
file:close()
for _, each in ipairs(vim.lsp.get_clients()) do
  each:stop(true)
end
vim.cmd('qall!')
