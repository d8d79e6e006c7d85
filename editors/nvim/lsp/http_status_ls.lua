---@brief
---
--- http-status-ls: HTTP status codes as first-class symbols in Python, YAML and OpenAPI files.
--- Hover `404` in `abort(404)`, `HTTPStatus.NOT_FOUND` or an OpenAPI `'404':` key; complete status
--- names after `HTTPStatus.`, `status.` and `codes.`; diagnostics for deprecated, reserved,
--- unofficial and invalid codes (305, 306, 420, 509, 299, 600); quick fixes and inlay hints.
---
--- Install the server (Python 3.10+) so that `http-status-ls` is on your PATH:
---
--- ```sh
--- pipx install .   # in a checkout of http-status-ls (or: uv tool install .)
--- ```
---
--- Then, with this directory on your 'runtimepath' (or this file copied to `lsp/` in your config):
---
--- ```lua
--- vim.lsp.enable('http_status_ls')
--- ```
---
--- Settings go under `httpStatus` (severity per rule, or "off"; your own codes; more YAML keys;
--- inlay hints; languages):
---
--- ```lua
--- vim.lsp.config('http_status_ls', {
---   settings = {
---     httpStatus = {
---       rules = { ['unofficial-code'] = 'error', ['reserved-code'] = 'off' },
---       extraCodes = { { code = 599, phrase = 'Upstream Timeout' } },
---       extraYamlKeys = { 'expectedStatus' },
---       inlayHints = { enabled = true },
---       languages = { python = true, yaml = true, json = true },
---     },
---   },
--- })
--- ```
---
--- Inlay hints (the phrase after `abort(404)`) show once enabled: `vim.lsp.inlay_hint.enable()`.
---
--- Settings may also live in `pyproject.toml` under `[tool.http-status-ls]`. Saving it, or a
--- settings change, updates every open buffer; nothing to set up for that: Neovim 0.11 cannot be
--- asked to re-pull diagnostics nor (on Linux) watch files, so the server pushes diagnostics to it
--- and watches `pyproject.toml` itself.

---@type vim.lsp.Config
return {
  cmd = { 'http-status-ls' },
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
