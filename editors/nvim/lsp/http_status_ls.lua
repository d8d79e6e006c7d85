---@brief
---
--- http-status-ls: HTTP status codes as first-class symbols in Python, YAML/OpenAPI and JSON files:
--- hover, completion, diagnostics (305, 420, 509, 600...), quick fixes and inlay hints.
---
--- Install the server (Python 3.10+) so that `http-status-ls` is on your PATH, then enable it
--- (with this directory on 'runtimepath', or this file copied to `lsp/` in your config):
--- ```sh
--- pipx install .   # in a checkout of http-status-ls (or: uv tool install .)
--- ```
--- ```lua
--- vim.lsp.enable('http_status_ls')
--- -- Not on PATH (a virtualenv)? Its full path:
--- vim.lsp.config('http_status_ls', { cmd = { vim.fn.expand('~/src/http-status-ls/.venv/bin/http-status-ls') } })
--- -- Recommended: completion as you type, snippets included (accept with <C-y>). Without it,
--- -- <C-x><C-o> inserts an OpenAPI response key without its `description:`.
--- vim.api.nvim_create_autocmd('LspAttach', {
---   callback = function(args)
---     local client = vim.lsp.get_client_by_id(args.data.client_id)
---     if client and client.name == 'http_status_ls' then
---       vim.lsp.completion.enable(true, client.id, args.buf, { autotrigger = true })
---     end
---   end,
--- })
--- vim.lsp.inlay_hint.enable() -- the phrase after `abort(404)`
--- -- Settings (also read from `[tool.http-status-ls]` in pyproject.toml):
--- vim.lsp.config('http_status_ls', {
---   settings = { httpStatus = { rules = { ['unofficial-code'] = 'error', ['reserved-code'] = 'off' } } },
--- })
--- ```
---
--- Troubleshooting: `:checkhealth vim.lsp` lists the clients and warns of a `cmd` you set whose
--- program is not executable. "'http-status-ls' is not executable" when a file opens: it is not on
--- PATH, set `cmd` to its full path. The server's log: `cmd = { 'http-status-ls', '--log-file',
--- '/tmp/http-status-ls.log' }`; Neovim's: `:lua vim.cmd.edit(vim.lsp.log.get_filename())`.

local program = 'http-status-ls'

---@type vim.lsp.Config
return {
  -- A function, not `{ program }`: Neovim 0.11 skips a command list whose program is not executable
  -- without a word (only :checkhealth tells), but shows what a command function raises.
  cmd = function(dispatchers, config)
    if vim.fn.executable(program) == 0 then
      error(("http_status_ls: '%s' is not executable (not on PATH): set cmd to its full path"):format(program), 0)
    end
    config = config or {}
    local spawn = { cwd = config.cmd_cwd, env = config.cmd_env, detached = config.detached }
    return vim.lsp.rpc.start({ program }, dispatchers, spawn)
  end,
  filetypes = { 'python', 'yaml', 'json', 'jsonc' },
  root_markers = {
    'pyproject.toml',
    'setup.py',
    'setup.cfg',
    'requirements.txt',
    'openapi.yaml',
    'openapi.yml',
    'openapi.json',
    'swagger.yaml',
    'swagger.json',
    '.git',
  },
  settings = { httpStatus = {} },
  -- The settings also travel as initializationOptions, so the very first analysis already uses them.
  before_init = function(params, config)
    params.initializationOptions = { httpStatus = (config.settings or {}).httpStatus or {} }
  end,
}
