-- A minimal Neovim configuration for the end-to-end test: only editors/nvim on the runtimepath,
-- the server command pointed at this checkout's server, and the config enabled.
--
--   nvim --headless --clean -u tests/editors/nvim/init.lua -c 'luafile tests/editors/nvim/check.lua'
--
-- HTTP_STATUS_LS_COMMAND overrides the server command (default: the repository's .venv).

local here = vim.fs.dirname(vim.fs.normalize(debug.getinfo(1, 'S').source:sub(2)))
local repo = vim.fs.normalize(vim.fn.fnamemodify(here .. '/../../..', ':p'))

vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
vim.opt.swapfile = false
-- Opening a .py file would otherwise probe for the Python provider (seconds spent running python3).
vim.g.loaded_python3_provider = 0
vim.g.loaded_ruby_provider = 0
vim.g.loaded_node_provider = 0
vim.g.loaded_perl_provider = 0
vim.opt.shadafile = 'NONE'

-- A program path, or a JSON list of arguments such as ["/usr/bin/python3", "-m", "http_status_ls"].
local from_env = os.getenv('HTTP_STATUS_LS_COMMAND')
local cmd
if from_env == nil or from_env == '' then
  cmd = { repo .. '/.venv/bin/http-status-ls' }
elseif vim.startswith(vim.trim(from_env), '[') then
  cmd = vim.json.decode(from_env)
else
  cmd = { from_env }
end
vim.lsp.config('http_status_ls', { cmd = cmd })
vim.lsp.enable('http_status_ls')
