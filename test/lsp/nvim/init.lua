-- Headless Neovim as an LSP client of postfix-tls-language-server (test/lsp/nvim.test.ts).
-- Opens $PFTLS_FILE, attaches the server, waits for diagnostics and a hover at
-- ($PFTLS_HOVER_LINE, $PFTLS_HOVER_CHAR), writes what it saw as JSON to $PFTLS_OUT and quits.
-- Inputs come from the environment so no path is ever spliced into Lua or Vim script.
-- Works with Neovim 0.7 (vim.lsp.start_client, push diagnostics) and 0.8+ (vim.lsp.start).

local out_path = assert(os.getenv('PFTLS_OUT'), 'PFTLS_OUT not set')
local result = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor), errors = {} }

local function finish()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function run()
  local file = assert(os.getenv('PFTLS_FILE'), 'PFTLS_FILE not set')
  local server = assert(os.getenv('PFTLS_SERVER'), 'PFTLS_SERVER not set')
  local node = os.getenv('PFTLS_NODE') or 'node'
  local timeout = tonumber(os.getenv('PFTLS_TIMEOUT_MS') or '15000')

  -- The file patterns the README recommends: main.cf keeps Vim's own `pfmain` filetype.
  vim.cmd([[
    augroup postfix_tls_ft
      autocmd!
      autocmd BufRead,BufNewFile main.cf,main.cf.* setlocal filetype=pfmain
      autocmd BufRead,BufNewFile master.cf,master.cf.* setlocal filetype=pfmaster
    augroup END
  ]])
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype

  local settings = { postfixTls = { postfixVersion = os.getenv('PFTLS_POSTFIX_VERSION') or '3.10' } }
  local config = {
    name = 'postfix-tls',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    settings = settings,
    -- Neovim 0.7 answers workspace/configuration but does not announce it, so the server
    -- takes the same table from initializationOptions (as the README recommends).
    init_options = settings,
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client_id)
  end
  result.client_started = client_id ~= nil

  vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(result.diagnostics, {
      code = d.code or lsp.code,
      message = d.message,
      severity = d.severity,
      source = d.source,
      lnum = d.lnum,
      col = d.col,
    })
  end

  local line = tonumber(os.getenv('PFTLS_HOVER_LINE') or '0')
  local char = tonumber(os.getenv('PFTLS_HOVER_CHAR') or '0')
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = char } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, timeout)
  for _, r in pairs(responses or {}) do
    if r.err then table.insert(result.errors, vim.inspect(r.err)) end
    local contents = r.result and r.result.contents
    if type(contents) == 'table' then result.hover = contents.value or contents[1] end
  end
end

local ok, err = pcall(run)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
